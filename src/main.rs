//! patchcord's entry point: parse the command line and dispatch to the face it names. No logic
//! lives here; errors become exit codes in `cli::finish`.

use patchcord::cli::{self, Cli, Command, Context, Exit};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse_checked();
    cli::logging::init();
    let ctx = Context {
        target: cli.target,
        json: cli.json,
        reveal: cli.reveal,
    };
    let result = match cli.command {
        Some(Command::Validate(args)) => cli::validate::run(&ctx, &args),
        Some(Command::Render(args)) => cli::render::run(&ctx, &args),
        Some(Command::Submit(args)) => cli::submit::run(&ctx, &args).await,
        Some(Command::List(args)) => cli::remote::list(&ctx, &args).await,
        Some(Command::Pull(args)) => cli::remote::pull(&ctx, &args).await,
        Some(Command::Delete(args)) => cli::remote::delete(&ctx, &args).await,
        Some(Command::Curl(args)) => cli::curl::run(&ctx, &args),
        Some(Command::Import(args)) => cli::import::run(&ctx, &args),
        Some(Command::Connect(args)) => cli::connect::connect(&ctx, &args).await,
        Some(Command::Disconnect(args)) => cli::connect::disconnect(&ctx, &args).await,
        Some(Command::Serve(args)) => cli::serve::run(&args).await,
        None => return editor(cli.file, ctx.target).await,
    };
    cli::finish(&ctx, result)
}

/// `patchcord [FILE]`: the editor. Its errors are only terminal failures (editing problems
/// are shown on screen), reported with their causes.
async fn editor(file: Option<std::path::PathBuf>, target: Option<String>) -> ExitCode {
    let options = patchcord::tui::Options { file, target };
    match patchcord::tui::run(options)
        .await
        .map_err(anyhow::Error::from)
    {
        Ok(()) => Exit::Ok.into(),
        Err(error) => {
            eprintln!("error: {error:#}");
            Exit::Invalid.into()
        }
    }
}
