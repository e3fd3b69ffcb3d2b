//! The master key: 32 random bytes kept in a hex file readable by its owner only.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

use rand::RngCore;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretBox};

use super::StoreError;

/// Longest accepted key file: 64 hex characters plus "\r\n".
const MAX_FILE_LEN: u64 = 66;

/// The key that wraps every application's data key and derives the identity index key.
pub struct MasterKey(SecretBox<[u8; 32]>);

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey([masquée])")
    }
}

impl MasterKey {
    /// Reads a key file: 64 hex chars (+ optional trailing newline). Refuses other content, and
    /// (on unix) a file accessible to group or others, with a French error naming the path.
    pub fn load(path: &Path) -> Result<MasterKey, StoreError> {
        let mut file = File::open(path)
            .map_err(|e| key_file(path, format!("lecture impossible : {}", crate::text::erreur_io(&e))))?;
        let meta = file
            .metadata()
            .map_err(|e| key_file(path, format!("lecture impossible : {}", crate::text::erreur_io(&e))))?;
        if !meta.is_file() {
            return Err(key_file(path, "ce n'est pas un fichier ordinaire".into()));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = meta.permissions().mode() & 0o777;
            // Any group/other bit is refused, not only read: a key writable by others could be
            // swapped for one an attacker knows.
            if mode & 0o077 != 0 {
                return Err(key_file(
                    path,
                    format!("droits trop ouverts ({mode:04o}), le fichier doit être en 0600 (chmod 600)"),
                ));
            }
        }
        if meta.len() > MAX_FILE_LEN {
            return Err(key_file(
                path,
                format!("contenu invalide: {} octets, 64 caractères hexadécimaux attendus", meta.len()),
            ));
        }
        let mut content = Zeroizing::new(Vec::with_capacity(MAX_FILE_LEN as usize));
        (&mut file)
            .take(MAX_FILE_LEN + 1)
            .read_to_end(&mut content)
            .map_err(|e| key_file(path, format!("lecture impossible : {}", crate::text::erreur_io(&e))))?;
        let hex_part: &[u8] = content.strip_suffix(b"\r\n").or_else(|| content.strip_suffix(b"\n")).unwrap_or(&content);
        if hex_part.len() != 64 {
            return Err(key_file(
                path,
                format!("contenu invalide: {} caractères, 64 caractères hexadécimaux attendus", hex_part.len()),
            ));
        }
        let mut decoded = Ok(());
        let key = SecretBox::init_with_mut(|bytes: &mut [u8; 32]| {
            decoded = hex::decode_to_slice(hex_part, bytes);
        });
        decoded.map_err(|_| key_file(path, "contenu invalide: caractères non hexadécimaux".into()))?;
        Ok(MasterKey(key))
    }

    /// Creates a new random key file with mode 0600 (fails if it exists).
    pub fn generate(path: &Path) -> Result<MasterKey, StoreError> {
        let key = MasterKey::random();
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options
            .open(path)
            .map_err(|e| key_file(path, format!("création impossible : {}", crate::text::erreur_io(&e))))?;
        let mut text = Zeroizing::new(hex::encode(key.expose()));
        text.push('\n');
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| key_file(path, format!("écriture impossible : {}", crate::text::erreur_io(&e))))?;
        // Without syncing the directory, a crash could lose the new file while the store
        // already holds data sealed with this key.
        #[cfg(unix)]
        if let Some(parent) = path.parent() {
            let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
            if let Ok(dir) = File::open(parent) {
                let _ = dir.sync_all();
            }
        }
        Ok(key)
    }

    /// Loads the key file, creating it first if it does not exist (school / demo mode).
    pub fn load_or_generate(path: &Path) -> Result<MasterKey, StoreError> {
        match std::fs::symlink_metadata(path) {
            Ok(_) => MasterKey::load(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match MasterKey::generate(path) {
                Ok(key) => Ok(key),
                // Another process created it between the two calls: use theirs.
                Err(_) if path.exists() => MasterKey::load(path),
                Err(e) => Err(e),
            },
            Err(e) => Err(key_file(path, format!("lecture impossible : {}", crate::text::erreur_io(&e)))),
        }
    }

    /// A fresh random key held only in memory (temporary stores, tests).
    pub fn random() -> MasterKey {
        MasterKey(SecretBox::init_with_mut(|bytes: &mut [u8; 32]| rand::rngs::OsRng.fill_bytes(bytes)))
    }

    pub(crate) fn expose(&self) -> &[u8; 32] {
        self.0.expose_secret()
    }

    #[cfg(test)]
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> MasterKey {
        MasterKey(SecretBox::new(Box::new(bytes)))
    }
}

fn key_file(path: &Path, reason: String) -> StoreError {
    StoreError::KeyFile { path: path.to_path_buf(), reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn write_with_mode(path: &Path, content: &[u8], mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(path, content).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn generate_then_load_gives_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cle");
        let generated = MasterKey::generate(&path).unwrap();
        let loaded = MasterKey::load(&path).unwrap();
        assert_eq!(generated.expose(), loaded.expose());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let err = MasterKey::generate(&path).unwrap_err();
        assert!(matches!(err, StoreError::KeyFile { .. }), "{err}");
        let again = MasterKey::load_or_generate(&path).unwrap();
        assert_eq!(again.expose(), generated.expose());
    }

    #[test]
    fn load_or_generate_creates_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nouvelle");
        let key = MasterKey::load_or_generate(&path).unwrap();
        assert_eq!(MasterKey::load(&path).unwrap().expose(), key.expose());
    }

    #[cfg(unix)]
    #[test]
    fn load_accepts_hex_with_or_without_newline() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cle");
        let hex_key = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
        for content in [hex_key.to_string(), format!("{hex_key}\n"), format!("{hex_key}\r\n")] {
            write_with_mode(&path, content.as_bytes(), 0o600);
            let key = MasterKey::load(&path).unwrap();
            assert_eq!(key.expose()[1], 0x11);
            assert_eq!(key.expose()[31], 0xff);
        }
    }

    #[cfg(unix)]
    #[test]
    fn load_refuses_bad_content_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cle");
        let good = "ab".repeat(32);
        let bad_contents = [
            "ab".repeat(31),
            format!("{good}\n\n"),
            format!(" {good}"),
            format!("{}zz", "ab".repeat(31)),
            "ab".repeat(40),
            String::new(),
        ];
        for content in bad_contents {
            write_with_mode(&path, content.as_bytes(), 0o600);
            let err = MasterKey::load(&path).unwrap_err();
            let text = err.to_string();
            assert!(matches!(err, StoreError::KeyFile { .. }));
            assert!(text.contains(&path.display().to_string()), "{text}");
            assert!(text.contains("invalide"), "{text}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn load_refuses_a_file_open_to_group_or_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cle");
        for mode in [0o644, 0o640, 0o604, 0o620] {
            write_with_mode(&path, "ab".repeat(32).as_bytes(), mode);
            let err = MasterKey::load(&path).unwrap_err();
            let text = err.to_string();
            assert!(text.contains(&path.display().to_string()), "{text}");
            assert!(text.contains("0600"), "{text}");
        }
        write_with_mode(&path, "ab".repeat(32).as_bytes(), 0o400);
        assert!(MasterKey::load(&path).is_ok());
    }

    #[test]
    fn missing_file_is_a_key_file_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = MasterKey::load(&dir.path().join("absente")).unwrap_err();
        assert!(matches!(err, StoreError::KeyFile { .. }));
    }

    #[test]
    fn debug_does_not_show_the_key() {
        let key = MasterKey::from_bytes([0xab; 32]);
        assert!(!format!("{key:?}").contains("ab, ") && !format!("{key:?}").contains("171"));
    }
}
