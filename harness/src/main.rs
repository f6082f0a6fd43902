use clap::Parser;
use harness::cli::{Cli, Command, GoldCommand};
use harness::{commands, exit, Error};

fn main() {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Eval(a) => commands::eval(a),
        Command::Score(a) => commands::score(a),
        Command::Gold(GoldCommand::Check { dir }) => commands::gold_check(dir),
        Command::Compare(a) => commands::compare(a),
        Command::Merge(a) => commands::merge(a),
        Command::Worker(a) => match harness::worker::serve(&a.library, &a.config) {
            Ok(()) => Ok(exit::OK),
            Err(e) => {
                eprintln!("harness worker: {e}");
                std::process::exit(exit::PLUGIN_LOAD);
            }
        },
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            if let Error::BadGold(diags) = &e {
                for d in diags {
                    eprintln!("{d}");
                }
            }
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
