//! The `sessions` tool: log in, print the server's about info, the current session and the
//! session list as a table, log out.

use std::fmt::Write as _;

use vsphere::{Client, Protocol, Secret};

/// What the tool was asked to do.
#[derive(Debug)]
pub struct Args {
    /// `scheme://host[:port]`, credentials removed.
    pub url: String,
    /// User name from the URL.
    pub user: String,
    /// Password from the URL.
    pub password: Secret<String>,
    /// Speak SOAP instead of VI/JSON.
    pub soap: bool,
    /// Accept any TLS certificate.
    pub insecure: bool,
}

/// Parses `--url http://user:pass@host/sdk [--soap] [--insecure]`.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut url = None;
    let mut soap = false;
    let mut insecure = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--url" => url = args.next(),
            "--soap" => soap = true,
            "--insecure" => insecure = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let url = url.ok_or("missing --url http://user:pass@host/sdk")?;
    let (scheme, rest) = url.split_once("://").ok_or("the URL needs a scheme")?;
    let (userinfo, host) = rest
        .rsplit_once('@')
        .ok_or("the URL needs user:password@ before the host")?;
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    Ok(Args {
        url: format!("{scheme}://{host}"),
        user: percent_decode(user),
        password: Secret::new(percent_decode(password)),
        soap,
        insecure,
    })
}

/// Decodes `%XX` escapes in URL user info.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs the tool and returns what it prints; an error is what it prints on failure.
pub async fn run(args: &Args) -> Result<String, Box<dyn std::error::Error>> {
    let protocol = if args.soap {
        Protocol::Soap
    } else {
        Protocol::VimJson
    };
    let client = Client::builder(&args.url)
        .protocol(protocol)
        .danger_accept_invalid_certs(args.insecure)
        .build()
        .await?;
    let mut out = String::new();
    let about = &client.service_content().about;
    writeln!(out, "server:      {} ({})", about.full_name, about.api_type)?;
    writeln!(out, "api version: {}", about.api_version)?;
    writeln!(
        out,
        "instance:    {}",
        about.instance_uuid.as_deref().unwrap_or("-")
    )?;

    let sm = client.session_manager()?;
    let me = sm.login(&args.user, &args.password, None).await?;
    writeln!(
        out,
        "\nlogged in as {} ({}), locale {}",
        me.user_name, me.full_name, me.locale
    )?;
    if let Some(current) = sm.current_session().await? {
        writeln!(
            out,
            "current session: {} since {}",
            current.user_name, current.login_time
        )?;
    }
    let sessions = sm.session_list().await?;
    writeln!(
        out,
        "\n{:<28} {:<22} {:<26} {:>6}",
        "USER", "CLIENT", "LOGIN TIME", "CALLS"
    )?;
    for s in &sessions {
        writeln!(
            out,
            "{:<28} {:<22} {:<26} {:>6}",
            s.user_name,
            s.ip_address,
            s.login_time.format("%Y-%m-%d %H:%M:%S %:z"),
            s.call_count
        )?;
    }
    writeln!(out, "({} sessions)", sessions.len())?;
    sm.logout().await?;
    writeln!(out, "\nlogged out")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_come_out_of_the_url() {
        let args = parse_args(
            [
                "--url",
                "http://us%40er:p%3Ass@127.0.0.1:8989/sdk",
                "--soap",
            ]
            .map(String::from),
        )
        .unwrap();
        assert_eq!(args.url, "http://127.0.0.1:8989/sdk");
        assert_eq!(args.user, "us@er");
        assert_eq!(args.password.expose(), "p:ss");
        assert!(args.soap && !args.insecure);
        assert!(parse_args(["--url".to_string(), "http://host/sdk".into()]).is_err());
        assert!(parse_args(["--bogus".to_string()]).is_err());
    }
}
