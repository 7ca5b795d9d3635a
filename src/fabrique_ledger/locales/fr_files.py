"""French of the messages about files and git (issue 13, part 4: store/safe.py, the lock and journal's
folder, revisions, branch names, fab log's paths, payment references): see ``fr.py``."""

FR_FILES: dict[str, str] = {
    # store/safe.py: files read only as regular files inside the ledger
    "'{name}' is {what}, not a regular file": "'{name}' est {what}, pas un fichier ordinaire",
    "a named pipe (FIFO)": "un tube nommé (FIFO)",
    "a socket": "une socket",
    "a device": "un périphérique",
    "a special file": "un fichier spécial",
    "a named pipe (FIFO), socket or device where a record file should be": "un tube nommé (FIFO), une socket ou un périphérique à la place d'un fichier de fiche",
    "remove it, or replace it by a regular file: fab reads only regular files, and never opens anything else": "supprimez-le, ou remplacez-le par un fichier ordinaire : fab ne lit que des fichiers ordinaires et n'ouvre jamais rien d'autre",
    # store/safe.py: paths a journal or a write may name
    "it is not a path": "ce n'est pas un chemin",
    "it holds control characters or backslashes": "il contient des caractères de contrôle ou des barres obliques inverses",
    "it is not a relative path inside the ledger": "ce n'est pas un chemin relatif à l'intérieur du registre",
    "it is not a file fab writes (ledger/..., charter.md, templates/...)": "ce n'est pas un fichier qu'écrit fab (ledger/..., charter.md, templates/...)",
    "it is not a regular file": "ce n'est pas un fichier ordinaire",
    # store/safe.py, store/write.py: the folder of the lock and journal of a ledger outside git
    "it is a symbolic link": "c'est un lien symbolique",
    "it is not a folder": "ce n'est pas un dossier",
    "it belongs to another user (uid {uid})": "il appartient à un autre utilisateur (uid {uid})",
    "other users may use it (mode {mode:04o})": "d'autres utilisateurs peuvent s'en servir (mode {mode:04o})",
    # store/templates.py
    "{rel}: {message}": "{rel} : {message}",
}
