//! Names: vmodl qualified names ↔ wire names, and Rust-style casing.

/// The root managed type: a reference typed by it may point to any managed object.
pub const MANAGED_ROOT: &str = "vmodl.ManagedObject";

/// The managed type a task method returns (`…_Task`), whose `info.result` holds the
/// method's outcome.
pub const TASK_TYPE: &str = "vim.Task";

/// Types that every data or fault type derives from; their subtypes are not pulled in
/// just because they are named (that would be the whole API).
pub const ROOT_TYPES: &[&str] = &[
    "vmodl.DynamicData",
    "vmodl.DataObject",
    "vmodl.MethodFault",
    "vmodl.RuntimeFault",
    "vim.fault.VimFault",
];

/// The wire type of a managed object reference in the VI/JSON formats (`type`, `value`),
/// documented as a data type there; the model types such references by [`MANAGED_ROOT`].
pub const MANAGED_OBJECT_REFERENCE: &str = "ManagedObjectReference";

/// Package segments of qualified names and what they contribute to a wire name.
/// `vim.host.X` is `HostX` on the wire; `vim.fault.X` is plain `X`.
const PACKAGE_PREFIXES: &[(&str, &str)] = &[
    ("fault", ""),
    ("event", ""),
    ("query", ""),
    ("alarm", ""),
    ("option", ""),
    ("view", ""),
    ("scheduler", ""),
    ("profile", "Profile"),
    ("host", "Host"),
    ("vm", "VirtualMachine"),
    ("cluster", "Cluster"),
    ("dvs", "DVS"),
    ("vApp", "VApp"),
    ("ext", ""),
    ("net", "Net"),
    ("vsan", "Vsan"),
];

/// Qualified names whose wire name follows no rule (checked before the rules apply).
const WIRE_NAME_EXCEPTIONS: &[(&str, &str)] = &[
    ("vim.ServiceInstanceContent", "ServiceContent"),
    ("vmodl.query.PropertyCollector", "PropertyCollector"),
    (
        "vmodl.query.PropertyCollector.FilterSpec",
        "PropertyFilterSpec",
    ),
    ("vmodl.query.PropertyCollector.Filter", "PropertyFilter"),
    ("vmodl.query.PropertyCollector.Change", "PropertyChange"),
    (
        "vmodl.query.PropertyCollector.FilterUpdate",
        "PropertyFilterUpdate",
    ),
    ("vmodl.query.PropertyCollector.ObjectSpec", "ObjectSpec"),
    ("vmodl.query.PropertyCollector.PropertySpec", "PropertySpec"),
    (
        "vmodl.query.PropertyCollector.SelectionSpec",
        "SelectionSpec",
    ),
    (
        "vmodl.query.PropertyCollector.TraversalSpec",
        "TraversalSpec",
    ),
    (
        "vmodl.query.PropertyCollector.RetrieveOptions",
        "RetrieveOptions",
    ),
    (
        "vmodl.query.PropertyCollector.RetrieveResult",
        "RetrieveResult",
    ),
    (
        "vmodl.query.PropertyCollector.ObjectContent",
        "ObjectContent",
    ),
    (
        "vmodl.query.PropertyCollector.MissingProperty",
        "MissingProperty",
    ),
    ("vmodl.query.PropertyCollector.ObjectUpdate", "ObjectUpdate"),
    ("vmodl.query.PropertyCollector.UpdateSet", "UpdateSet"),
    ("vmodl.query.PropertyCollector.WaitOptions", "WaitOptions"),
    (
        "vmodl.query.PropertyCollector.ObjectUpdate.Kind",
        "ObjectUpdateKind",
    ),
    (
        "vmodl.query.PropertyCollector.Change.Op",
        "PropertyChangeOp",
    ),
    (
        "vmodl.query.InvalidCollectorVersion",
        "InvalidCollectorVersion",
    ),
    ("vmodl.query.InvalidProperty", "InvalidProperty"),
    ("vmodl.ManagedObject", "ManagedObject"),
    // Irregular names the 8.0.1 set shows and no document's evidence pairs.
    ("vim.host.MemoryManagerSystem", "HostMemorySystem"),
    (
        "vim.dvs.VmwareDistributedVirtualSwitch",
        "VmwareDistributedVirtualSwitch",
    ),
    (
        "vim.vm.check.CompatibilityChecker",
        "VirtualMachineCompatibilityChecker",
    ),
    (
        "vim.vm.check.ProvisioningChecker",
        "VirtualMachineProvisioningChecker",
    ),
    (
        "vim.host.ActiveDirectorySpec.Specification",
        "HostActiveDirectorySpec",
    ),
    ("vim.host.DhcpService.Specification", "HostDhcpServiceSpec"),
    ("vim.host.ActiveDirectorySpec", "HostActiveDirectory"),
    ("vim.host.NasVolume.Specification", "HostNasVolumeSpec"),
    (
        "vim.host.DatastoreBrowser.VmConfigQuery.Details",
        "VmConfigFileQueryFlags",
    ),
    (
        "vim.storageDrs.ApplyRecommendationResult",
        "ApplyStorageRecommendationResult",
    ),
    ("vim.LicenseManager.DiagnosticInfo", "LicenseDiagnostics"),
    (
        "vim.LicenseManager.EvaluationLicense",
        "EvaluationLicenseSource",
    ),
    ("vim.LicenseManager.LicenseServer", "LicenseServerSource"),
    ("vim.LicenseManager.LicenseState", "LicenseManagerState"),
    ("vim.LicenseManager.LocalLicense", "LocalLicenseSource"),
    ("vim.vm.device.VirtualVMIROM", "VirtualMachineVMIROM"),
    ("vmodl.DataObject", "DataObject"),
];

/// The wire name of a qualified vmodl name: `vim.SessionManager.LocalTicket` →
/// `SessionManagerLocalTicket`, `vim.fault.InvalidLogin` → `InvalidLogin`.
/// A name without a `vim.`/`vmodl.` prefix is taken to be a wire name already.
pub fn wire_name_of(qualified: &str) -> String {
    if let Some((_, wire)) = WIRE_NAME_EXCEPTIONS.iter().find(|(q, _)| *q == qualified) {
        return wire.to_string();
    }
    let Some(rest) = qualified
        .strip_prefix("vim.")
        .or_else(|| qualified.strip_prefix("vmodl."))
    else {
        return qualified.to_string();
    };
    let mut wire = String::new();
    for segment in rest.split('.') {
        if segment.starts_with(|c: char| c.is_ascii_lowercase()) {
            let prefix = PACKAGE_PREFIXES
                .iter()
                .find(|(package, _)| *package == segment)
                .map(|(_, prefix)| prefix.to_string())
                .unwrap_or_else(|| upper_first(segment));
            wire.push_str(&prefix);
        } else {
            wire.push_str(segment);
        }
    }
    wire
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// `LoginBySSPI` → `login_by_sspi`, `sessionID` → `session_id`, `base64Token` → `base64_token`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c == '-' || c == ' ' || c == '.' {
            if !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            // A plural acronym's `s` stays with it: `numCPUs` → `num_cpus`, `vmIDs` → `vm_ids`.
            let plural = chars.get(i + 1) == Some(&'s')
                && chars.get(i + 2).is_none_or(|n| !n.is_ascii_lowercase());
            let next_lower = !plural && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let boundary = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower);
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `session_manager_login_by_sspi` style → `LoginBySSPI`-insensitive comparison key:
/// lower-case letters and digits only, so names from any format can be matched.
pub fn lower_camel(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `crypto_manager` → `cryptoManager`, `v_disk_id` → `vDiskId`: the lowerCamelCase guess
/// for a snake_case name (a wire name's exact capitals, `sessionID`, are not recoverable;
/// compare with [`lower_camel`]).
pub fn snake_to_lower_camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, part) in name.split('_').filter(|p| !p.is_empty()).enumerate() {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.push(first);
            } else {
                out.push(first.to_ascii_uppercase());
            }
            out.push_str(chars.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names() {
        assert_eq!(
            wire_name_of("vim.SessionManager.LocalTicket"),
            "SessionManagerLocalTicket"
        );
        assert_eq!(wire_name_of("vim.fault.InvalidLogin"), "InvalidLogin");
        assert_eq!(wire_name_of("vmodl.fault.NotSupported"), "NotSupported");
        assert_eq!(wire_name_of("vim.UserSession"), "UserSession");
        assert_eq!(wire_name_of("vim.ServiceInstanceContent"), "ServiceContent");
        assert_eq!(wire_name_of("vim.host.ConnectInfo"), "HostConnectInfo");
        assert_eq!(wire_name_of("UserSession"), "UserSession");
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake_case("LoginBySSPI"), "login_by_sspi");
        assert_eq!(snake_case("sessionID"), "session_id");
        assert_eq!(snake_case("base64Token"), "base64_token");
        assert_eq!(snake_case("numCPUs"), "num_cpus");
        assert_eq!(snake_case("vmIDsFound"), "vm_ids_found");
        assert_eq!(
            snake_case("AcquireGenericServiceTicket"),
            "acquire_generic_service_ticket"
        );
        assert_eq!(snake_case("currentSession"), "current_session");
    }

    #[test]
    fn comparison_keys_match_across_formats() {
        assert_eq!(
            lower_camel("session_manager_login_by_sspi"),
            "sessionmanagerloginbysspi"
        );
        assert_eq!(lower_camel("LoginBySSPI"), "loginbysspi");
    }

    #[test]
    fn snake_to_lower_camel_guesses_wire_names() {
        assert_eq!(snake_to_lower_camel("crypto_manager"), "cryptoManager");
        assert_eq!(snake_to_lower_camel("v_disk_id"), "vDiskId");
        assert_eq!(snake_to_lower_camel("value"), "value");
        assert_eq!(snake_to_lower_camel("ipv6_address"), "ipv6Address");
        assert_eq!(snake_to_lower_camel("capacity_in_kb"), "capacityInKb");
        assert_eq!(
            lower_camel(&snake_to_lower_camel("session_id")),
            lower_camel("sessionID")
        );
    }
}
