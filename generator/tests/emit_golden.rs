//! The emitter's output for a small model, checked against golden files.

mod common;

use generator::model::Model;

fn small_model() -> Model {
    let path = common::repo_root().join("generator/tests/fixtures/small_model.yaml");
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn small_model_emits_expected_rust() {
    let files = generator::emit::sdk_sources(&small_model()).unwrap();
    let paths: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "src/types/vim.rs",
            "src/types/vim_fault.rs",
            "src/types/vmodl.rs",
            "src/types/mod.rs",
            "src/managed/session_manager.rs",
            "src/managed/handles.rs",
            "src/managed/mod.rs",
            "src/meta.rs",
            "src/lib.rs",
        ]
    );
    for (path, text) in &files {
        assert!(
            text.starts_with("// @generated"),
            "{} lacks the header",
            path.display()
        );
        let rel = path.strip_prefix("src").unwrap().display();
        common::assert_golden(&format!("emit/{rel}.txt"), text);
    }
}

#[test]
fn emission_is_deterministic() {
    let a = generator::emit::sdk_sources(&small_model()).unwrap();
    let b = generator::emit::sdk_sources(&small_model()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn secrets_are_wrapped_and_optional_params_are_options() {
    let files = generator::emit::sdk_sources(&small_model()).unwrap();
    let managed = &files
        .iter()
        .find(|(p, _)| p.ends_with("managed/session_manager.rs"))
        .unwrap()
        .1;
    assert!(
        managed.contains("password: &vsphere_runtime::Secret<String>"),
        "{managed}"
    );
    assert!(managed.contains("locale: Option<&str>"));
    assert!(
        managed.contains("vsphere_runtime::Param::new(\"locale\", &locale)"),
        "{managed}"
    );
    assert!(managed.contains("#[deprecated(note = \"Deprecated as of vSphere API 5.0.\")]"));
    let types = &files
        .iter()
        .find(|(p, _)| p.ends_with("types/vim.rs"))
        .unwrap()
        .1;
    assert!(types.contains("pub key: vsphere_runtime::Secret<String>"));
    assert!(
        types.contains("AnySpec : Spec { Spec = \"Spec\", HttpSpec = \"HttpSpec\", }"),
        "{types}"
    );
    assert!(types.contains("Other(String)"));
    assert!(types.contains("0 key = \"key\" required,"), "{types}");
    assert!(!types.contains("serde"), "{types}");
}

#[test]
fn meta_lists_each_managed_object_with_its_nearest_base() {
    let mut model = small_model();
    let base = generator::model::ManagedObject {
        name: "vim.ManagedEntity".into(),
        wire_name: "ManagedEntity".into(),
        ..Default::default()
    };
    model.managed_objects[0].base = Some("vim.ManagedEntity".into());
    model.managed_objects.insert(0, base);
    let files = generator::emit::sdk_sources(&model).unwrap();
    let meta = &files
        .iter()
        .find(|(p, _)| p.ends_with("src/meta.rs"))
        .unwrap()
        .1;
    let squashed: String = meta.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        squashed.contains(
            "pub const MANAGED_OBJECTS: &[ManagedObjectInfo] = &[ ManagedObjectInfo { \
             name: \"ManagedEntity\", base: None, }, ManagedObjectInfo { \
             name: \"SessionManager\", base: Some(\"ManagedEntity\"), }, ];"
        ),
        "{meta}"
    );
}
