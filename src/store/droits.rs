//! Owner-only files. What the gateway keeps (the engine's files, the key vault, the pieces'
//! contents, backups, the control socket) is created readable by its own user only:
//! directories 0700, files 0600. Our code says so explicitly at each creation; the engine
//! creates its own files with the process's umask, which the binary sets to 077 before doing
//! anything. [`trop_ouverts`] is what `check` and `serve` read to warn about a directory made
//! otherwise (an older version, a copy, a `chmod`).

use std::fs::{DirBuilder, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Mode of the directories the gateway creates.
pub const MODE_REPERTOIRE: u32 = 0o700;
/// Mode of the files the gateway creates.
pub const MODE_FICHIER: u32 = 0o600;

/// Creates `dir` and its missing parents, owner-only; an existing directory keeps its mode.
pub fn creer_repertoire(dir: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(MODE_REPERTOIRE).create(dir)
}

/// Creates (or truncates) `path` for writing, owner-only. A file that existed keeps no wider
/// mode than 0600 either.
pub fn creer_fichier(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new().write(true).create(true).truncate(true).mode(MODE_FICHIER).open(path)?;
    restreindre(&file)?;
    Ok(file)
}

/// Creates `path` for writing, owner-only; fails if it exists.
pub fn creer_fichier_neuf(path: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).mode(MODE_FICHIER).open(path)
}

/// Writes `contenu` into `path` (created or truncated), owner-only.
pub fn ecrire_fichier(path: &Path, contenu: &[u8]) -> io::Result<()> {
    creer_fichier(path)?.write_all(contenu)
}

fn restreindre(file: &File) -> io::Result<()> {
    let mode = file.metadata()?.permissions().mode();
    if mode & 0o077 != 0 {
        file.set_permissions(Permissions::from_mode(mode & 0o700))?;
    }
    Ok(())
}

/// A path whose mode lets its group or others in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TropOuvert {
    /// The path.
    pub chemin: PathBuf,
    /// Its permission bits (`0o755`, say).
    pub mode: u32,
}

/// `dir` itself and everything under it (links not followed, nor counted: a link's own mode
/// means nothing) whose mode has a bit for the group or others, in a walk's order. An absent
/// `dir` has none.
pub fn trop_ouverts(dir: &Path) -> io::Result<Vec<TropOuvert>> {
    let mut out = Vec::new();
    parcourir(dir, &mut |chemin, mode| {
        if mode & 0o077 != 0 {
            out.push(TropOuvert { chemin: chemin.to_path_buf(), mode });
        }
        Ok(())
    })?;
    Ok(out)
}

/// Takes the group's and others' bits off `dir` and everything under it (links not followed):
/// the paths changed, with the mode they had.
pub fn resserrer(dir: &Path) -> io::Result<Vec<TropOuvert>> {
    let mut out = Vec::new();
    parcourir(dir, &mut |chemin, mode| {
        if mode & 0o077 != 0 {
            std::fs::set_permissions(chemin, Permissions::from_mode(mode & 0o700))?;
            out.push(TropOuvert { chemin: chemin.to_path_buf(), mode });
        }
        Ok(())
    })?;
    Ok(out)
}

/// Calls `f` with every path under `dir` (itself first) and its permission bits, links aside.
fn parcourir(dir: &Path, f: &mut dyn FnMut(&Path, u32) -> io::Result<()>) -> io::Result<()> {
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if meta.file_type().is_symlink() {
        return Ok(());
    }
    f(dir, meta.permissions().mode() & 0o777)?;
    if !meta.is_dir() {
        return Ok(());
    }
    let mut pile = vec![dir.to_path_buf()];
    while let Some(courant) = pile.pop() {
        for entree in std::fs::read_dir(&courant)? {
            let entree = entree?;
            let chemin = entree.path();
            // A file removed while we walk (a piece, a temporary blob) is not a finding.
            let meta = match std::fs::symlink_metadata(&chemin) {
                Ok(m) => m,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            if meta.file_type().is_symlink() {
                continue;
            }
            f(&chemin, meta.permissions().mode() & 0o777)?;
            if meta.is_dir() {
                pile.push(chemin);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn what_we_create_is_owner_only_whatever_the_umask() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        creer_repertoire(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        let f = dir.join("f");
        ecrire_fichier(&f, b"x").unwrap();
        assert_eq!(mode(&f), 0o600);
        // A file made readable by others before is tightened when written again.
        std::fs::set_permissions(&f, Permissions::from_mode(0o644)).unwrap();
        ecrire_fichier(&f, b"y").unwrap();
        assert_eq!(mode(&f), 0o600);
        assert!(creer_fichier_neuf(&f).is_err());
        assert!(trop_ouverts(tmp.path().join("a").as_path()).unwrap().is_empty());
    }

    #[test]
    fn open_paths_are_found_and_tightened_links_aside() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("d");
        std::fs::create_dir_all(dir.join("s")).unwrap();
        std::fs::set_permissions(&dir, Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(dir.join("s"), Permissions::from_mode(0o700)).unwrap();
        std::fs::write(dir.join("s/f"), b"x").unwrap();
        std::fs::set_permissions(dir.join("s/f"), Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.join("lien")).unwrap();
        let ouverts = trop_ouverts(&dir).unwrap();
        assert_eq!(
            ouverts,
            vec![TropOuvert { chemin: dir.clone(), mode: 0o755 }, TropOuvert { chemin: dir.join("s/f"), mode: 0o640 }]
        );
        assert_eq!(resserrer(&dir).unwrap(), ouverts);
        assert_eq!((mode(&dir), mode(&dir.join("s/f"))), (0o700, 0o600));
        assert!(trop_ouverts(&dir).unwrap().is_empty());
        assert_eq!(mode(Path::new("/etc/passwd")) & 0o004, 0o004, "the link's target is left alone");
        assert!(trop_ouverts(&tmp.path().join("absent")).unwrap().is_empty());
    }
}
