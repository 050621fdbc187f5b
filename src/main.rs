//! patchcord's entry point: parse the command line and dispatch to the face it names. No logic
//! lives here; errors become exit codes in `cli::finish`.

use patchcord::cli::{self, Cli, Command, Context, Exit};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse_checked();
    cli::logging::init(cli.manners.verbose && cli.command.is_some());
    let ctx = Context {
        target: cli.target,
        json: cli.json,
        reveal: cli.reveal,
        manners: cli.manners,
        config: None,
    };
    let result = match cli.command {
        Some(Command::Validate(args)) => cli::validate::run(&ctx, &args),
        Some(Command::Render(args)) => cli::render::run(&ctx, &args),
        Some(Command::Submit(args)) => cli::submit::run(&ctx, &args).await,
        Some(Command::List(args)) => cli::remote::list(&ctx, &args).await,
        Some(Command::Pull(args)) => cli::remote::pull(&ctx, &args).await,
        Some(Command::Delete(args)) => cli::remote::delete(&ctx, &args).await,
        Some(Command::Plan(args)) => cli::plan::run(&ctx, &args).await,
        Some(Command::Apply(args)) => cli::apply::run(&ctx, &args).await,
        Some(Command::Curl(args)) => cli::curl::run(&ctx, &args),
        Some(Command::Try(args)) => cli::try_rows::run(&ctx, &args).await,
        Some(Command::History(args)) => cli::history::run(&ctx, &args),
        Some(Command::Import(args)) => cli::import::run(&ctx, &args),
        Some(Command::Connect(args)) => cli::connect::connect(&ctx, &args).await,
        Some(Command::Disconnect(args)) => cli::connect::disconnect(&ctx, &args).await,
        Some(Command::Serve(args)) => cli::serve::run(&ctx, &args).await,
        Some(Command::New(args)) => cli::new::run(&ctx, &args),
        Some(Command::Completions(args)) => cli::docs::completions(&args),
        Some(Command::Man) => cli::docs::man(),
        Some(Command::Paths) => cli::paths::run(&ctx),
        None => return editor(cli.file, &ctx).await,
    };
    cli::finish(&ctx, result)
}

/// `patchcord [FILE]`: the editor. Its errors are only the ones that stop it (editing
/// problems are shown on screen), reported like the CLI's.
async fn editor(file: Option<std::path::PathBuf>, ctx: &Context) -> ExitCode {
    let options = patchcord::tui::Options {
        file,
        target: ctx.target.clone(),
        plain: !cli::color_wanted(ctx.manners.color, true),
    };
    match patchcord::tui::run(options).await {
        Ok(()) => Exit::Ok.into(),
        Err(error) => {
            eprintln!("{}: error: {error}", cli::PROGRAM);
            cli::editor_exit(&error).into()
        }
    }
}
