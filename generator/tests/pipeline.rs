//! The whole pipeline on the real spec/: reconciliation, overrides, selection, outputs.

mod common;

use generator::model::{Fact, Format, Model};
use generator::overrides::Overrides;
use generator::pipeline::{build, outputs, parse_files};
use generator::reconcile::{reconcile, SourceModel};

/// The repository's build, run once for all tests of this file.
fn built() -> &'static generator::pipeline::Build {
    static BUILT: std::sync::OnceLock<generator::pipeline::Build> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| build(&common::repo_root()).expect("spec/ builds"))
}

#[test]
fn model_has_every_session_manager_method_and_property() {
    let b = built();
    let sm = b.model.managed_object("vim.SessionManager").unwrap();
    assert_eq!(sm.wire_name, "SessionManager");
    assert_eq!(sm.methods.len(), 16);
    assert_eq!(sm.properties.len(), 6);
    let login = sm.methods.iter().find(|m| m.name == "Login").unwrap();
    let params: Vec<_> = login
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.optional, p.secret))
        .collect();
    assert_eq!(
        params,
        [
            ("userName", Some(false), false),
            ("password", Some(false), true),
            ("locale", Some(true), false)
        ]
    );
    assert_eq!(
        login
            .returns
            .as_ref()
            .unwrap()
            .ty
            .as_ref()
            .unwrap()
            .to_string(),
        "vim.UserSession"
    );
    assert_eq!(login.privilege.as_deref(), Some("System.Anonymous"));
    assert_eq!(login.since.as_ref().unwrap().label(), "1.0");
    let faults: Vec<_> = login.faults.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        faults,
        [
            "vim.fault.InvalidLogin",
            "vim.fault.InvalidLocale",
            "vim.fault.NoPermission"
        ]
    );
    // Every fact remembers its source.
    assert!(login.origin[&Fact::Since].file.ends_with(".tables.md"));
    assert!(login.origin[&Fact::Privilege].file.contains(".rst"));

    let session_list = sm
        .properties
        .iter()
        .find(|p| p.name == "sessionList")
        .unwrap();
    assert_eq!(
        session_list.ty.as_ref().unwrap().to_string(),
        "vim.UserSession[]"
    );
    assert_eq!(
        session_list.privilege.as_deref(),
        Some("Sessions.TerminateSession")
    );
    assert_eq!(session_list.http.as_ref().unwrap().verb, "GET");

    let si = b.model.managed_object("vim.ServiceInstance").unwrap();
    assert!(si
        .methods
        .iter()
        .any(|m| m.name == "RetrieveServiceContent"));
}

#[test]
fn identities_across_formats_are_merged() {
    let b = built();
    let sm = b.model.managed_object("vim.SessionManager").unwrap();
    // Only the OpenAPI Markdown and the VI/JSON page document LoginExtension.
    let ext = sm
        .methods
        .iter()
        .find(|m| m.name == "LoginExtension")
        .unwrap();
    assert!(ext
        .deprecated
        .as_deref()
        .unwrap()
        .starts_with("Deprecated as of vSphere API 4.0"));
    assert_eq!(
        ext.http.as_ref().unwrap().path,
        "/SessionManager/{moId}/LoginExtension"
    );
    assert!(ext
        .params
        .iter()
        .any(|p| p.name == "base64SignedCredentials" && p.secret));
    // `session_manager_login_by_sspi` (OpenAPI) is `LoginBySSPI`, with the VI/JSON page's faults.
    let sspi = sm.methods.iter().find(|m| m.name == "LoginBySSPI").unwrap();
    assert_eq!(sspi.http.as_ref().unwrap().verb, "POST");
    assert!(sspi
        .faults
        .iter()
        .any(|f| f.name == "vim.fault.SSPIChallenge"));
    assert!(
        sspi.faults.iter().all(|f| f.name.contains('.')),
        "short fault names are qualified"
    );
    // `SessionManagerLocalTicket` (OpenAPI return type) is `vim.SessionManager.LocalTicket`.
    let local = sm
        .methods
        .iter()
        .find(|m| m.name == "AcquireLocalTicket")
        .unwrap();
    assert_eq!(
        local.returns.as_ref().unwrap().ty.as_ref().unwrap().name,
        "vim.SessionManager.LocalTicket"
    );
    // `AcquireGenericServiceTicketRequestType` (the VI/JSON body) belongs to its method.
    let generic = sm
        .methods
        .iter()
        .find(|m| m.name == "AcquireGenericServiceTicket")
        .unwrap();
    assert_eq!(
        generic.request_type.as_deref(),
        Some("AcquireGenericServiceTicketRequestType")
    );
    assert_eq!(
        generator::model::Method::of_request_type("AcquireGenericServiceTicketRequestType"),
        Some("AcquireGenericServiceTicket")
    );
    // TerminateSession's sessionId is a list, as its request-body type says (every
    // method page's type column says a single string).
    let terminate = sm
        .methods
        .iter()
        .find(|m| m.name == "TerminateSession")
        .unwrap();
    assert_eq!(
        terminate.params[0]
            .ty
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("string[]")
    );
    assert!(terminate.params[0].origin[&Fact::Type]
        .file
        .ends_with("vmware-vi-8.0.1.0/docs/TerminateSessionRequestType.md"));
    let conflict = b
        .conflicts
        .iter()
        .find(|c| c.subject == "vim.SessionManager.TerminateSession.sessionId")
        .expect("the array dimension is a recorded conflict");
    assert_eq!(
        (conflict.fact, conflict.chosen.as_str()),
        (Fact::Type, "string[]")
    );
    assert_eq!(
        conflict.candidates.last().map(|(f, _, t)| (*f, t.as_str())),
        Some((generator::model::Format::OpenApiMarkdown, "string[]"))
    );
}

#[test]
fn referenced_types_are_selected_transitively_with_fields() {
    let b = built();
    let user = b.model.data_type("vim.UserSession").unwrap();
    assert_eq!(user.wire_name, "UserSession");
    assert!(user
        .fields
        .iter()
        .any(|f| f.name == "callCount" && f.ty.as_ref().unwrap().name == "long"));
    // Subtypes of a referenced base come along, faults are classified.
    assert!(b
        .model
        .data_type("vim.SessionManager.HttpServiceRequestSpec")
        .is_some());
    assert!(b
        .model
        .fault_types
        .iter()
        .any(|f| f.name == "vim.fault.InvalidLogin"));
    assert!(b
        .model
        .fault_types
        .iter()
        .any(|f| f.name == "vmodl.MethodFault"));
    assert!(
        b.model
            .data_type("vim.ServiceInstanceContent")
            .unwrap()
            .wire_name
            == "ServiceContent"
    );
    // `managed_objects: all` selects every managed object, type, fault and enum but the
    // VI/JSON request bodies.
    assert_eq!(b.model.managed_objects.len(), b.full.managed_objects.len());
    assert_eq!(b.model.fault_types.len(), b.full.fault_types.len());
    assert_eq!(b.model.enums.len(), b.full.enums.len());
    let bodies = generator::select::request_body_types(&b.full);
    assert!(bodies.contains("PowerOnVMRequestType"), "{bodies:?}");
    assert_eq!(
        b.model.data_types.len(),
        b.full.data_types.len() - bodies.len()
    );
    assert!(b.model.data_type("PowerOnVMRequestType").is_none());
    // spec/overrides.yaml gives pyvmomi's `Clone` its wire name: one method.
    let vm = b.model.managed_object("vim.VirtualMachine").unwrap();
    let clone: Vec<(&str, usize)> = vm
        .methods
        .iter()
        .filter(|m| m.name.starts_with("Clone"))
        .map(|m| (m.name.as_str(), m.params.len()))
        .collect();
    assert_eq!(clone, [("CloneVM_Task", 3)]);
}

#[test]
fn a_listed_selection_holds_only_what_its_objects_reach() {
    let b = built();
    let sdk = generator::select::SdkConfig::parse(
        "sdk.yaml",
        "doc_sets: []\nmanaged_objects:\n  - name: vim.SessionManager\n  - name: vmodl.query.PropertyCollector\n    methods: [RetrievePropertiesEx]\n    properties: []\n",
    )
    .unwrap();
    let model = sdk.select(&b.full).unwrap();
    assert_eq!(model.managed_objects.len(), 2);
    assert_eq!(model.managed_objects[1].methods.len(), 1);
    assert!(model.managed_object("vim.VirtualMachine").is_none());
    assert!(model.data_type("vim.vm.ConfigSpec").is_none());
    assert!(model.data_type("vim.UserSession").is_some());
    // A declared fault brings its subtypes: `NotAuthenticated` lands in `NoPermission`.
    assert!(model
        .fault_types
        .iter()
        .any(|f| f.name == "vim.fault.NotAuthenticated"));
    assert!(model
        .referenced_managed_objects
        .iter()
        .any(|m| m.name == "vim.ServiceInstance" || m.name == "vmodl.ManagedObject"));
}

#[test]
fn conflicts_name_both_sources_and_the_choice() {
    let b = built();
    let files = outputs(b).unwrap().files;
    let conflicts = &files
        .iter()
        .find(|(p, _)| p.ends_with("conflicts.md"))
        .unwrap()
        .1;
    let line = conflicts
        .lines()
        .skip_while(|l| !l.starts_with("### `vim.SessionManager` ("))
        .find(|l| l.starts_with("- `messageLocaleList` type"))
        .expect("the tables Markdown says string for a string list");
    assert!(
        line.contains("tables-md (spec/docs/SessionManager.tables.md:12) says `string`"),
        "{line}"
    );
    assert!(line.contains("chose `string[]`"), "{line}");
    assert!(conflicts.contains("spec/overrides.yaml:"));
    for (path, text) in &files {
        let head = text.lines().next().unwrap();
        assert!(
            head.contains("@generated"),
            "{} lacks the header",
            path.display()
        );
    }
}

#[test]
fn precedence_decides_and_records_disagreements() {
    let doc = |format, since: &str| {
        let mut m: Model = serde_yaml::from_str(&format!(
            "data_types: []\nfault_types: []\nenums: []\nmanaged_objects:\n- name: vim.X\n  wire_name: X\n  source: {{file: a, line: 1}}\n  properties: []\n  methods:\n  - name: Go\n    params: []\n    returns: null\n    privilege: P\n    since: \"{since}\"\n    faults: []\n    source: {{file: a, line: 2}}\n"
        ))
        .unwrap();
        m.managed_objects[0].methods[0].source.file = format!("{format:?}");
        SourceModel { format, model: m }
    };
    let merged = reconcile(vec![
        doc(Format::PyvmomiRst, "VI API 2.5"),
        doc(Format::DocsMarkdown, "1.0"),
    ]);
    let go = &merged.model.managed_objects[0].methods[0];
    assert_eq!(
        go.since.as_ref().unwrap().label(),
        "1.0",
        "tables Markdown wins on since"
    );
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].fact, Fact::Since);
}

#[test]
fn an_override_naming_nothing_is_an_error() {
    let overrides = Overrides::parse(
        "o.yaml",
        "overrides:\n  - target: vim.SessionManager.NoSuchMethod\n    privilege: X\n    reason: test\n",
    )
    .unwrap();
    let mut model = built().model.clone();
    let err = overrides.apply("o.yaml", &mut model).unwrap_err();
    assert_eq!(err.line, 2);
    assert!(err.message.contains("names nothing"), "{err}");

    let no_reason = Overrides::parse(
        "o.yaml",
        "overrides:\n  - target: vim.UserSession.key\n    secret: true\n",
    );
    assert!(no_reason.is_err());
    let wrong_fact = Overrides::parse(
        "o.yaml",
        "overrides:\n  - target: vim.UserSession.key\n    privilege: X\n    reason: r\n",
    )
    .unwrap();
    let err = wrong_fact.apply("o.yaml", &mut model).unwrap_err();
    assert_eq!(
        err.to_string(),
        "o.yaml:2:1: override of `vim.UserSession.key` sets `privilege`, which a data-object \
         field does not have (it has: type, optional, secret, since)"
    );
}

/// Applies `entry` (one override, written from line 2) to the real model.
fn apply_one(entry: &str) -> Result<Vec<generator::overrides::OverrideChange>, String> {
    let overrides =
        Overrides::parse("o.yaml", &format!("overrides:\n{entry}")).map_err(|e| e.to_string())?;
    overrides
        .apply("o.yaml", &mut built().model.clone())
        .map_err(|e| e.to_string())
}

#[test]
fn an_override_of_a_fact_its_target_lacks_lists_the_facts_it_has() {
    let err = apply_one(
        "  - target: vim.SessionManager.Login\n    reason: r\n    optional: true\n    secret: true\n",
    )
    .unwrap_err();
    assert_eq!(
        err,
        "o.yaml:2:1: override of `vim.SessionManager.Login` sets `optional`, `secret`, which a \
         method does not have (it has: privilege, since, returns, returns_secret, returns_optional)"
    );
    let err =
        apply_one("  - target: vim.SessionManager\n    reason: r\n    base: X\n").unwrap_err();
    assert!(err.contains("names nothing"), "{err}");
    let err =
        apply_one("  - target: vim.UserSession\n    reason: r\n    secret: true\n").unwrap_err();
    assert!(
        err.ends_with("which a data type does not have (it has: base, since)"),
        "{err}"
    );
}

#[test]
fn a_misspelt_fact_is_an_error_at_its_line() {
    let err = apply_one("  - target: vim.UserSession.key\n    reason: r\n    secert: true\n")
        .unwrap_err();
    assert!(err.starts_with("o.yaml:4:"), "{err}");
    assert!(err.contains("unknown field `secert`"), "{err}");
}

#[test]
fn overrides_that_set_nothing_or_flag_a_void_return_are_errors() {
    let err = apply_one("  - target: vim.UserSession.key\n    reason: r\n").unwrap_err();
    assert_eq!(
        err,
        "o.yaml:2:1: override of `vim.UserSession.key` changes nothing"
    );
    let err = apply_one(
        "  - target: vim.SessionManager.Logout\n    reason: r\n    returns_optional: true\n",
    )
    .unwrap_err();
    assert!(
        err.contains("returns nothing, so its return value cannot be optional"),
        "{err}"
    );
}

#[test]
fn an_override_the_documents_agree_with_records_no_change() {
    let changes = apply_one(
        "  - target: vim.SessionManager.Login\n    reason: r\n    privilege: System.Anonymous\n",
    )
    .unwrap();
    assert!(changes.is_empty(), "{changes:?}");
    let changes = apply_one(
        "  - target: vim.SessionManager.Login\n    reason: r\n    privilege: System.View\n",
    )
    .unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].fact, Fact::Privilege);
    assert_eq!(changes[0].after, "System.View");
}

#[test]
fn every_spec_document_parses_without_errors() {
    let root = common::repo_root();
    let paths = generator::load::documents_under(&root.join("spec")).unwrap();
    let parsed = parse_files(&paths, &root).expect("zero errors");
    // 2,754 pyvmomi files and 5 seeds are documents, bar the version table; the three YAML
    // files are configuration. Every other file is parsed.
    let skipped: Vec<String> = parsed.skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        skipped,
        [
            "spec/overrides.yaml: skipped: not documentation (configuration)",
            "spec/pyvmomi/vim/version.rst: skipped: its title `vSphere API supported versions` \
             names no type, so it documents none",
            "spec/sdk.yaml: skipped: not documentation (configuration)",
            "spec/secrets.yaml: skipped: not documentation (configuration)",
        ]
    );
    assert_eq!(paths.len(), 2762);
    assert_eq!(parsed.sources.len(), paths.len() - skipped.len());
    assert_eq!(parsed.warnings, []);
}

/// The stored model (`generated/model/*.yaml`) reads back as exactly the model it was written
/// from, so the crate can be checked against it without the documents.
#[test]
fn the_stored_model_reads_back_unchanged() {
    let build = built();
    let files = generator::pipeline::model_files(&build.full).unwrap();
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| (p.display().to_string(), t.clone()))
        .collect();
    let back =
        generator::model::store::load(texts.iter().map(|(n, t)| (n.as_str(), t.as_str()))).unwrap();
    let mut sorted = back.clone();
    sorted.sort_by_name();
    assert_eq!(sorted, build.full);
    // Every location is compact, and every part names its own sources.
    for (path, text) in &texts {
        assert!(
            !text.contains("source: {file"),
            "{path} has a long location"
        );
        assert!(text.contains("\nsources:\n"), "{path}");
    }
    // A method's returns keep every fact: AcquireCloneTicket's value is secret.
    let sm = back.managed_object("vim.SessionManager").unwrap();
    let clone = sm
        .methods
        .iter()
        .find(|m| m.name == "AcquireCloneTicket")
        .unwrap();
    assert!(clone.returns.as_ref().unwrap().secret);
}

/// A doc set that is not where sdk.yaml says fails the build with its name, path and origin.
#[test]
fn a_missing_doc_set_is_named_with_where_it_comes_from() {
    let root = std::env::temp_dir().join(format!("missing-doc-set-{}", std::process::id()));
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::write(
        root.join("spec/sdk.yaml"),
        "doc_sets:\n  - name: big\n    path: ../nowhere/big\n    about: \"a set from ../shared/docsets/README.md\"\nmanaged_objects: []\n",
    )
    .unwrap();
    std::fs::write(root.join("spec/overrides.yaml"), "overrides: []\n").unwrap();
    std::fs::write(root.join("spec/secrets.yaml"), "rules: []\n").unwrap();
    let err = build(&root).unwrap_err();
    std::fs::remove_dir_all(&root).unwrap();
    assert_eq!(
        err.to_string(),
        "doc set `big` is missing: `../nowhere/big` does not exist (relative to the repository \
         root). It is a set from ../shared/docsets/README.md"
    );
}
