//! Logs in, prints the server's about info, the current session and the session list as a
//! table, and logs out.
//!
//! ```sh
//! cargo run --example sessions -- --url http://user:pass@127.0.0.1:8989/sdk [--soap] [--insecure]
//! ```
//! A wrong password prints the server's fault and exits with status 1.

use std::process::ExitCode;

use vsphere_tests::sessions::{parse_args, run};

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "error: {e}\nusage: sessions --url http://user:pass@host/sdk [--soap] [--insecure]"
            );
            return ExitCode::from(2);
        }
    };
    match run(&args).await {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
