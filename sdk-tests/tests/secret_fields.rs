//! Secret fields of whole-API types, as users meet them: decoded from a VI/JSON body, their
//! `Debug` redacts exactly the members `spec/secrets.yaml` marks (the other fields print),
//! and encoding them sends the value as it came.

use vsphere::{
    CustomizationPassword, HostConnectSpec, HostInternetScsiHbaAuthenticationProperties,
    NamePasswordAuthentication, SessionManagerGenericServiceTicket, UserLoginSessionEvent,
    VirtualMachineTicket,
};
use vsphere_runtime::{JsonRead, JsonWrite};

/// Decodes `body`, then checks that `Debug` shows each of `shown` and none of `hidden`,
/// and that the JSON encoding carries `hidden` again.
fn check<T: JsonRead + JsonWrite + std::fmt::Debug>(body: &str, shown: &[&str], hidden: &[&str]) {
    let value: T = vsphere_runtime::json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    let debug = format!("{value:?}");
    for s in shown {
        assert!(debug.contains(s), "`{s}` should show in {debug}");
    }
    for h in hidden {
        assert!(!debug.contains(h), "`{h}` leaks in {debug}");
    }
    assert!(debug.contains("[REDACTED]"), "{debug}");
    let again = vsphere_runtime::json::to_string(&value);
    for h in hidden {
        assert!(again.contains(h), "`{h}` is not sent in {again}");
    }
}

#[test]
fn host_connect_spec_redacts_both_passwords() {
    check::<HostConnectSpec>(
        r#"{"_typeName":"HostConnectSpec","hostName":"esx-17.lab","port":443,"userName":"root","password":"pw-ConnectSpec-1","vimAccountName":"vpxuser","vimAccountPassword":"pw-VimAccount-2","force":true}"#,
        &["esx-17.lab", "root", "vpxuser", "443"],
        &["pw-ConnectSpec-1", "pw-VimAccount-2"],
    );
}

#[test]
fn iscsi_chap_secrets_are_redacted() {
    check::<HostInternetScsiHbaAuthenticationProperties>(
        r#"{"_typeName":"HostInternetScsiHbaAuthenticationProperties","chapAuthEnabled":true,"chapName":"initiator-7","chapSecret":"chap-s3cr3t","mutualChapName":"target-7","mutualChapSecret":"mutual-s3cr3t"}"#,
        &["initiator-7", "target-7"],
        &["chap-s3cr3t", "mutual-s3cr3t"],
    );
}

#[test]
fn guest_credentials_are_redacted() {
    check::<NamePasswordAuthentication>(
        r#"{"_typeName":"NamePasswordAuthentication","interactiveSession":false,"username":"Administrator","password":"guest-pw-42"}"#,
        &["Administrator"],
        &["guest-pw-42"],
    );
    check::<CustomizationPassword>(
        r#"{"_typeName":"CustomizationPassword","value":"sysprep-pw-9","plainText":true}"#,
        &["plain_text: true"],
        &["sysprep-pw-9"],
    );
}

#[test]
fn tickets_and_session_ids_are_redacted() {
    check::<VirtualMachineTicket>(
        r#"{"_typeName":"VirtualMachineTicket","ticket":"mks-ticket-0xfeed","cfgFile":"[ds1] vm/vm.vmx","host":"esx-3","port":902,"sslThumbprint":"AA:BB"}"#,
        &["[ds1] vm/vm.vmx", "esx-3", "AA:BB"],
        &["mks-ticket-0xfeed"],
    );
    check::<SessionManagerGenericServiceTicket>(
        r#"{"_typeName":"SessionManagerGenericServiceTicket","id":"cst-VCT-52f0","hostName":"vc.lab"}"#,
        &["vc.lab"],
        &["cst-VCT-52f0"],
    );
    check::<UserLoginSessionEvent>(
        r#"{"_typeName":"UserLoginSessionEvent","key":7,"chainId":7,"createdTime":"2026-12-07T10:00:00Z","userName":"alice","ipAddress":"10.0.0.5","locale":"en","sessionId":"52a1b2c3-session"}"#,
        &["alice", "10.0.0.5"],
        &["52a1b2c3-session"],
    );
}
