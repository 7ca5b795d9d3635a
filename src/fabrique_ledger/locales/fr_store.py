"""French of git, lock, journal and privacy messages (store/write.py, store/git.py, privacy.py): see ``fr.py``."""

FR_STORE: dict[str, str] = {
}
