//! `wic` / `wic browse`: resolve the configuration, make the data directory ready (first
//! run, stale index) with a progress line, then hand a [`ui::Launch`] to the interface.
//! The interface itself knows nothing of the command line.

use std::io::IsTerminal;

use super::{Failure, ProgressLine};
use crate::cli::BrowseArgs;
use crate::config;
use crate::data_dir::DataDir;
use crate::i18n::Strings;
use crate::kiosk::AdminChord;
use crate::search::SearchIndex;
use crate::speech::SpeechCommand;
use crate::terminal_env::TermEnv;
use crate::ui::{self, app::Mode, app::Setup, palette::Palette};
use crate::usage::{SessionMode, Usage};

pub fn run(data: &DataDir, args: BrowseArgs) -> Result<(), Failure> {
    let (settings, _) = config::load(args.config.as_deref(), &args).map_err(|e| Failure::Input(e.to_string()))?;
    let strings = Strings::load(&settings.lang);
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        // ratatui would panic without a TTY (`ssh -T host wic`): one plain sentence instead.
        return Err(Failure::Input(strings.get("notty.message").to_string()));
    }
    let data = settings.data_dir_for(data);

    // First run / stale index: build before the screen opens, with a progress line. If that
    // fails, the kiosk still starts and says plainly that search is unavailable.
    let mut progress = ProgressLine::new(&strings);
    let prepared = data.prepare(&mut |s| progress.step(s));
    progress.finish();
    let index = match prepared {
        Ok(()) => SearchIndex::open(&data.search_dir()).map_err(|e| e.to_string()),
        // A stale index that could not be rebuilt (disk full, read-only directory) still
        // answers: better yesterday's catalogue than no search at all.
        Err(e) => SearchIndex::open(&data.search_dir()).map_err(|_| e.to_string()),
    };

    let env = TermEnv::from_env();
    if env.no_color {
        // crossterm 0.29 writes a reset right after reverse video when NO_COLOR is set, which
        // erases the selection (docs/ARCHITECTURE.md, "Terminal traps"): force its output and use the monochrome palette.
        ratatui::crossterm::style::force_color_output(true);
    }
    let palette = Palette::for_terminal(&env, &settings.palette, settings.ascii);
    let mode = if settings.kiosk { Mode::Kiosk } else { Mode::Staff };
    // Speech reads kiosk screens aloud; staff sessions never speak (over SSH the sound would
    // come out of the server, not the visitor's ears).
    let speech = (mode == Mode::Kiosk && settings.speech)
        .then(|| SpeechCommand::resolve(settings.speech_command.as_deref(), std::env::var_os("PATH").as_deref()))
        .flatten();
    let chord = AdminChord::parse(&settings.admin_chord).map_err(Failure::Input)?;
    let account = crate::identity::Account::current();
    let setup = Setup {
        mode,
        idle_timeout: std::time::Duration::from_secs(settings.idle_timeout),
        mouse: settings.mouse,
        can_print: settings.print_command.is_some(),
        can_copy: settings.osc52 && mode == Mode::Staff,
        export_dir: settings.export_dir.clone().unwrap_or_else(|| std::path::PathBuf::from(".")),
        place: settings.commune.clone(),
        languages: settings.languages.clone(),
        orientation: settings.orientation.clone(),
        orientation_en: settings.orientation_en.clone(),
        desk: data.catalogue_path().exists(),
        // The account the session runs as (getuid), never a name from the environment.
        moderator: mode == Mode::Staff && account.is_in(&settings.moderators),
        account: account.name.clone(),
        can_speak: speech.is_some(),
    };
    let seat = setup.desk.then(|| ui::desk::Seat {
        data: data.clone(),
        who: account.name.clone(),
        kiosk: settings.kiosk_name.clone(),
        four_eyes: settings.four_eyes,
        through_spool: data.writes_through_spool(),
        reference: data
            .open_read()
            .and_then(|s| s.reference())
            .ok()
            .or_else(|| crate::catalogue::Reference::embedded().ok())
            .unwrap_or_default(),
    });
    let session = if mode == Mode::Kiosk { SessionMode::Kiosk } else { SessionMode::Staff };
    let launch = ui::Launch {
        setup,
        strings,
        palette,
        index,
        print_command: settings.print_command.clone(),
        chord: (mode == Mode::Kiosk).then_some(chord),
        usage: Usage::new(data.usage_path(), session),
        seat,
        speech,
    };
    match ui::run(launch) {
        Ok(0) => Ok(()),
        Ok(sig) => std::process::exit(128 + sig as i32),
        Err(e) => Err(Failure::Runtime(anyhow::Error::from(e).context("terminal error"))),
    }
}
