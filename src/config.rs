//! Settings, resolved once at start from (in order of precedence) command-line flags, the
//! environment, the configuration file (`--config`, else `/etc/wic/config.toml` if present),
//! and defaults. `assets/deploy/config.toml` documents every key.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::BrowseArgs;
use crate::data_dir::DataDir;

pub const DEFAULT_CONFIG: &str = "/etc/wic/config.toml";
pub const DEFAULT_IDLE_SECONDS: u64 = 90;
/// Two control keys a visitor will not press by chance, and no Alt (split over SSH).
pub const DEFAULT_ADMIN_CHORD: &str = "ctrl-x ctrl-q";

/// The configuration file, as written (every key optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub kiosk: Option<bool>,
    pub commune: Option<String>,
    pub idle_timeout: Option<u64>,
    pub admin_chord: Option<String>,
    pub lang: Option<String>,
    /// The languages F2 offers at this office, in order (default: every one).
    pub languages: Option<Vec<String>>,
    pub palette: Option<String>,
    pub ascii: Option<bool>,
    pub mouse: Option<bool>,
    pub data_dir: Option<PathBuf>,
    /// A command that prints text given on standard input, e.g. `lp -d accueil`.
    pub print_command: Option<String>,
    /// Where staff exports go when they name no folder.
    pub export_dir: Option<PathBuf>,
    /// Let staff copy a shortlist to their own clipboard with OSC 52 (over SSH).
    pub osc52: Option<bool>,
    /// What the office tells a visitor whose need the catalogue does not cover ("Demandez à
    /// l'accueil, bureau 2"), on the orientation card; `orientation_en` in English.
    pub orientation: Option<String>,
    pub orientation_en: Option<String>,
    /// This kiosk's name, written with each visitor report (default: the host name).
    pub kiosk_name: Option<String>,
    /// Staff allowed to edit the catalogue: Unix user names, or groups as `@group`.
    pub moderators: Option<Vec<String>>,
    /// Where `wic sync` fetches the signed catalogue: `https://…/` or a directory.
    pub sync_source: Option<String>,
    /// The central machine's public key (`wic keygen`'s `FILE.pub`).
    pub public_key: Option<PathBuf>,
    /// Reads the screen aloud on kiosks: the command, `{lang}` replaced by the language code and
    /// `{voice}` by its espeak-ng voice, the text on its standard input. Default:
    /// `crate::speech::DEFAULT_COMMAND` when espeak-ng is installed.
    pub speech_command: Option<String>,
    /// Offer speech at all (default true on kiosks where the command exists).
    pub speech: Option<bool>,
    /// `direct` (default): a moderator's save goes in at once; `four-eyes`: it waits for a
    /// second moderator's approval, and kiosks see only approved versions.
    pub review: Option<String>,
}

/// Resolved settings for a browsing session.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub kiosk: bool,
    /// The kiosk's commune, as configured (name or INSEE code).
    pub commune: Option<String>,
    pub idle_timeout: u64,
    pub admin_chord: String,
    pub lang: String,
    /// What F2 cycles through, `lang` among them.
    pub languages: Vec<String>,
    /// `auto`, `color`, `16`, `mono` or `high-contrast`.
    pub palette: String,
    pub ascii: bool,
    pub mouse: bool,
    pub data_dir: Option<PathBuf>,
    /// Run through `sh -c`, the text on its standard input. None: no printing.
    pub print_command: Option<String>,
    pub export_dir: Option<PathBuf>,
    pub osc52: bool,
    /// The office's sentence on the orientation card (None: the translated default, "Demandez
    /// à l'accueil."), and its English version (None: the French one, else the default).
    pub orientation: Option<String>,
    pub orientation_en: Option<String>,
    /// Written with each visitor report: the config's `kiosk_name`, else the host name.
    pub kiosk_name: String,
    /// Who may edit (user names and `@group`s); see [`crate::identity::Account::is_in`].
    pub moderators: Vec<String>,
    pub sync_source: Option<String>,
    pub public_key: Option<PathBuf>,
    /// The configured speech command (None: the default, if installed; see the speech module).
    pub speech_command: Option<String>,
    pub speech: bool,
    /// `review = "four-eyes"`: moderators' changes wait for a second moderator.
    pub four_eyes: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("configuration {path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// The settings a session started with `args` would use: the configuration file (`explicit`,
/// else the default one if it exists) resolved against the flags. The one home of config
/// loading, for `wic browse`, `wic doctor` and `wic search`. Also returns the file read.
pub fn load(explicit: Option<&Path>, args: &BrowseArgs) -> Result<(Settings, Option<PathBuf>), ConfigError> {
    let (file, path) = load_file(explicit)?;
    let settings = Settings::resolve(args, file, path.as_deref())?;
    Ok((settings, path))
}

fn load_file(explicit: Option<&Path>) -> Result<(FileConfig, Option<PathBuf>), ConfigError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None if Path::new(DEFAULT_CONFIG).exists() => PathBuf::from(DEFAULT_CONFIG),
        None => return Ok((FileConfig::default(), None)),
    };
    let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read { path: path.clone(), source })?;
    let file: FileConfig =
        toml::from_str(&text).map_err(|e| ConfigError::Invalid { path: path.clone(), message: e.to_string() })?;
    Ok((file, Some(path)))
}

impl Settings {
    /// The data directory to use: the configuration's `data_dir` when the command line left
    /// the default (`./index`), else the command line's. The one home of this rule.
    pub fn data_dir_for(&self, from_command_line: &DataDir) -> DataDir {
        match &self.data_dir {
            Some(dir) if from_command_line.root.as_os_str() == crate::data_dir::DEFAULT_DIR => DataDir::new(dir),
            _ => from_command_line.clone(),
        }
    }

    pub fn resolve(args: &BrowseArgs, file: FileConfig, path: Option<&Path>) -> Result<Settings, ConfigError> {
        let invalid =
            |message: String| ConfigError::Invalid { path: path.map(Path::to_path_buf).unwrap_or_default(), message };
        let palette = file.palette.unwrap_or_else(|| "auto".into());
        if !["auto", "color", "16", "mono", "high-contrast"].contains(&palette.as_str()) {
            return Err(invalid(format!("palette must be auto, color, 16, mono or high-contrast (found {palette:?})")));
        }
        let kiosk = if args.staff { false } else { args.kiosk || file.kiosk.unwrap_or(false) };
        let chord = file.admin_chord.unwrap_or_else(|| DEFAULT_ADMIN_CHORD.into());
        crate::kiosk::AdminChord::parse(&chord).map_err(|e| invalid(format!("admin_chord: {e}")))?;
        let offered = || crate::i18n::offered_codes();
        let known = |code: &str| crate::i18n::LANGUAGES.iter().any(|(c, _)| *c == code);
        let lang = args.lang.clone().or(file.lang).unwrap_or_else(|| "fr".into());
        if !known(&lang) {
            return Err(invalid(format!("lang {lang:?} is not offered (offered: {})", offered())));
        }
        let mut languages =
            file.languages.unwrap_or_else(|| crate::i18n::LANGUAGES.iter().map(|(c, _)| c.to_string()).collect());
        if let Some(bad) = languages.iter().find(|c| !known(c)) {
            return Err(invalid(format!("languages: {bad:?} is not offered (offered: {})", offered())));
        }
        languages.dedup();
        if !languages.contains(&lang) {
            languages.insert(0, lang.clone());
        }
        let four_eyes = match file.review.as_deref() {
            None | Some("direct") => false,
            Some("four-eyes") => true,
            Some(other) => {
                return Err(invalid(format!("review must be \"direct\" or \"four-eyes\" (found {other:?})")));
            }
        };
        Ok(Settings {
            four_eyes,
            kiosk,
            commune: file.commune,
            idle_timeout: args.idle_timeout.or(file.idle_timeout).unwrap_or(DEFAULT_IDLE_SECONDS).max(5),
            admin_chord: chord,
            lang,
            languages,
            palette: if args.high_contrast { "high-contrast".into() } else { palette },
            ascii: args.ascii || file.ascii.unwrap_or(false),
            mouse: args.mouse || file.mouse.unwrap_or(false),
            data_dir: file.data_dir,
            print_command: file.print_command.filter(|c| !c.trim().is_empty()),
            export_dir: file.export_dir,
            osc52: file.osc52.unwrap_or(false),
            orientation: file.orientation.map(|t| crate::text::sanitize_line(&t)).filter(|t| !t.trim().is_empty()),
            orientation_en: file
                .orientation_en
                .map(|t| crate::text::sanitize_line(&t))
                .filter(|t| !t.trim().is_empty()),
            kiosk_name: file
                .kiosk_name
                .map(|n| crate::text::sanitize_line(&n))
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(host_name),
            moderators: file.moderators.unwrap_or_default(),
            sync_source: file.sync_source.filter(|s| !s.trim().is_empty()),
            public_key: file.public_key,
            speech_command: file.speech_command.filter(|c| !c.trim().is_empty()),
            speech: file.speech.unwrap_or(true),
        })
    }
}

/// The machine's host name (`/proc/sys/kernel/hostname`, else `/etc/hostname`), or "kiosque".
pub fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|n| crate::text::sanitize_line(n.trim()))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "kiosque".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_checked_and_hold_the_screens_language() {
        let resolve = |text: &str| {
            let file: FileConfig = toml::from_str(text).unwrap();
            Settings::resolve(&BrowseArgs::default(), file, None)
        };
        assert_eq!(resolve("").unwrap().languages, ["fr", "en", "es", "pt", "uk", "ro"]);
        assert_eq!(resolve("lang = \"uk\"\nlanguages = [\"fr\", \"en\"]").unwrap().languages, ["uk", "fr", "en"]);
        let e = resolve("languages = [\"fr\", \"xx\"]").unwrap_err().to_string();
        assert!(e.contains("\"xx\" is not offered") && e.contains("fr, en, es"), "{e}");
        assert!(resolve("lang = \"ar\"").unwrap_err().to_string().contains("not offered"));
    }

    #[test]
    fn flags_win_over_file() {
        let file: FileConfig = toml::from_str("kiosk = true\nidle_timeout = 30\nlang = \"en\"").unwrap();
        let args = BrowseArgs { idle_timeout: Some(60), ..Default::default() };
        let s = Settings::resolve(&args, file, None).unwrap();
        assert!(s.kiosk);
        assert_eq!(s.idle_timeout, 60);
        assert_eq!(s.lang, "en");
        let staff = BrowseArgs { staff: true, ..Default::default() };
        let file: FileConfig = toml::from_str("kiosk = true").unwrap();
        assert!(!Settings::resolve(&staff, file, None).unwrap().kiosk);
    }

    #[test]
    fn rejects_unknown_keys_and_bad_values() {
        assert!(toml::from_str::<FileConfig>("kisok = true").is_err());
        let file: FileConfig = toml::from_str("palette = \"rainbow\"").unwrap();
        assert!(Settings::resolve(&BrowseArgs::default(), file, None).is_err());
        let file: FileConfig = toml::from_str("admin_chord = \"alt-x\"").unwrap();
        assert!(Settings::resolve(&BrowseArgs::default(), file, None).is_err());
    }
}
