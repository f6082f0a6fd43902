use clap::Parser;
use harness::cli::{Cli, Colour, Command};
use harness::output::Presentation;
use harness::{commands, exit, Error};

/// Allocation-heavy parsing and scoring run measurably faster on mimalloc
/// (see the comment in Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    let how = Presentation {
        colour: match cli.color {
            Colour::Always => true,
            Colour::Never => false,
            Colour::Auto => harness::report::render::terminal::colour_by_default(),
        },
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    let result = match &cli.command {
        Command::Eval(a) => commands::eval::run(a, how),
        Command::Score(a) => commands::score::run(a, how),
        Command::Gold(c) => commands::gold::run(c),
        Command::Compare(a) => commands::compare::run(a),
        Command::Merge(a) => commands::merge::run(a, how),
        Command::Show(a) => commands::show::run(a, how),
        Command::Annotate(a) => commands::annotate::run(a),
        Command::Worker(a) => match harness::worker::serve(&a.library, &a.config, a.max_output_bytes) {
            Ok(()) => Ok(exit::OK),
            Err(e) => {
                eprintln!("harness worker: {e}");
                std::process::exit(exit::PLUGIN_FAILED);
            }
        },
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            if let Error::BadGold(diags) = &e {
                for d in diags {
                    harness::out::eprintln(&d.to_string());
                }
            }
            harness::out::eprintln(&format!("error: {e}"));
            e.exit_code()
        }
    };
    std::process::exit(code);
}
