//! Logs in, prints the server's about info, the current session and the session list as a
//! table, and logs out.
//!
//! ```sh
//! cargo run --example sessions -- --url http://user:pass@127.0.0.1:8989/sdk [--soap] [--insecure]
//! ```
//! A wrong password prints the server's fault and exits with status 1.

use std::process::ExitCode;

use vsphere::{Client, Protocol, Secret};

struct Args {
    url: String,
    user: String,
    password: Secret<String>,
    soap: bool,
    insecure: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut url = None;
    let mut soap = false;
    let mut insecure = false;
    let mut args = std::env::args().skip(1);
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
        .split_once('@')
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

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "error: {e}\nusage: sessions --url http://user:pass@host/sdk [--soap] [--insecure]"
            );
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
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
    let about = &client.service_content().about;
    println!("server:      {} ({})", about.full_name, about.api_type);
    println!("api version: {}", about.api_version);
    println!(
        "instance:    {}",
        about.instance_uuid.as_deref().unwrap_or("-")
    );

    let sm = client.session_manager()?;
    let me = sm.login(&args.user, &args.password, None).await?;
    println!(
        "\nlogged in as {} ({}), locale {}",
        me.user_name, me.full_name, me.locale
    );

    if let Some(current) = sm.current_session().await? {
        println!(
            "current session: {} since {}",
            current.user_name, current.login_time
        );
    }
    let sessions = sm.session_list().await?;
    println!(
        "\n{:<28} {:<22} {:<26} {:>6}",
        "USER", "CLIENT", "LOGIN TIME", "CALLS"
    );
    for s in &sessions {
        println!(
            "{:<28} {:<22} {:<26} {:>6}",
            s.user_name,
            s.ip_address,
            s.login_time.format("%Y-%m-%d %H:%M:%S %:z"),
            s.call_count
        );
    }
    println!("({} sessions)", sessions.len());
    sm.logout().await?;
    println!("\nlogged out");
    Ok(())
}
