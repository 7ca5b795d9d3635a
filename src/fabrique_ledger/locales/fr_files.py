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
    "{path} is where fab keeps the lock and journal of the ledger {root}, but {reason}; fab uses only a folder of yours that nobody else can use: if you did not make it, remove it; else fix it with  chmod 700 {path}": "{path} est le dossier où fab garde le verrou et le journal du registre {root}, mais {reason} ; fab n'utilise qu'un dossier à vous dont personne d'autre ne peut se servir : si vous ne l'avez pas créé, supprimez-le ; sinon corrigez-le avec  chmod 700 {path}",
    "could not make a folder of yours for the lock and journal of the ledger {root} ({reason}); set XDG_STATE_HOME to a folder of yours": "impossible de créer un dossier à vous pour le verrou et le journal du registre {root} ({reason}) ; donnez à XDG_STATE_HOME un dossier à vous",
    "could not take the ledger's lock {path} ({reason}): fab writes its lock and journal there; make that folder writable (reading the ledger works without it)": "impossible de prendre le verrou du registre {path} ({reason}) : fab y écrit son verrou et son journal ; rendez ce dossier accessible en écriture (la lecture du registre fonctionne sans)",
    # store/write.py: a journal fab did not write, a path fab does not write
    "{path} is not a journal fab wrote ({why}): fab will not act on it, and nothing was written; if no fab command of yours was interrupted, remove it:  rm {path}": "{path} n'est pas un journal écrit par fab ({why}) : fab n'en tient pas compte, et rien n'a été écrit ; si aucune de vos commandes fab n'a été interrompue, supprimez-le :  rm {path}",
    "it names {path}: {reason}": "il nomme {path} : {reason}",
    "it names {what} {value}, which is not a commit or a branch name": "il nomme {what} {value}, qui n'est ni un commit ni un nom de branche",
    "its content is not what fab writes": "son contenu n'est pas ce qu'écrit fab",
    "fab does not write {path}: {reason}": "fab n'écrit pas {path} : {reason}",
    "fab does not replace {path}: {reason}": "fab ne remplace pas {path} : {reason}",
    # store/git.py: revisions and branch names
    "'{rev}' is not a revision: it is empty, starts with '-' or holds control characters; give a branch, a tag or a sha from git log": "'{rev}' n'est pas une révision : elle est vide, commence par '-' ou contient des caractères de contrôle ; donnez une branche, une étiquette ou un sha de git log",
    "'{rev}' is not a commit of this repository ({reason}); try a branch, a tag or a sha from git log": "'{rev}' n'est pas un commit de ce dépôt ({reason}) ; essayez une branche, une étiquette ou un sha de git log",
    "'{name}' names a special git reference, not a new branch; choose a name like contribution-gtfs": "'{name}' désigne une référence spéciale de git, pas une nouvelle branche ; choisissez un nom comme contribution-gtfs",
    "'{name}' already names something in this repository (a tag, a remote branch or a commit: git rev-parse {name}); choose another name": "'{name}' désigne déjà quelque chose dans ce dépôt (une étiquette, une branche distante ou un commit : git rev-parse {name}) ; choisissez un autre nom",
    # store/templates.py
    "{rel}: {message}": "{rel} : {message}",
    # cli/audit.py: fab log PATH
    "{path} is not a file of the ledger ({root})": "{path} n'est pas un fichier du registre ({root})",
    "give a record's id, like fab log 2026-03-02-alice-covoiturage, or its path inside the ledger": "donnez l'identifiant d'une fiche, comme fab log 2026-03-02-alice-covoiturage, ou son chemin dans le registre",
    # privacy.py: fab payouts --mark-paid REFERENCE
    "the reference holds what looks like {what} ({shown}); the ledger and its history are public: give the bank's reference of the transfers instead, like VIR-2026-07-20": "la référence contient ce qui ressemble à {what} ({shown}) ; le registre et son historique sont publics : donnez plutôt la référence bancaire des virements, comme VIR-2026-07-20",
}
