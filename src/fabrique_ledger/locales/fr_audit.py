"""French of fab log, fab diff and fab verify (audit.py, render/audit.py, cli/audit.py): see ``fr.py``."""

FR_AUDIT: dict[str, str] = {
}
