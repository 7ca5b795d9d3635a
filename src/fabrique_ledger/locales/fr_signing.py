"""French of who may write what (signing.py, guard.py, cli/signing.py, the signing keys of members): see
``fr.py``.  Vocabulary: steward « intendant » (a member named in the settings who may sign anything),
signing key « clé de signature », push « envoi » (git push)."""

FR_SIGNING: dict[str, str] = {
    # records.py: a member's signing keys
    "expected a public SSH key, like 'ssh-ed25519 AAAAC3Nza… alice@laptop' (the line of ~/.ssh/id_ed25519.pub)":
        "une clé SSH publique est attendue, comme 'ssh-ed25519 AAAAC3Nza… alice@portable' (la ligne de ~/.ssh/id_ed25519.pub)",
    "the key's second word is not base64: copy the whole line of the .pub file":
        "le deuxième mot de la clé n'est pas du base64 : copiez la ligne entière du fichier .pub",
    "the key's data is not a {kind} key: copy the whole line of the .pub file":
        "les données de la clé ne sont pas celles d'une clé {kind} : copiez la ligne entière du fichier .pub",
    # checks.py and problems.py
    "'stewards' names '{handle}', who is not a member": "'stewards' nomme '{handle}', qui n'est pas membre",
    "the key {fingerprint} is also declared by {other} (ledger/members/{other}.yaml)": "la clé {fingerprint} est aussi déclarée par {other} (ledger/members/{other}.yaml)",
    "a public signing key declared by two members": "une clé de signature publique déclarée par deux membres",
    "a key is one person's: remove it from the member who does not hold its private key":
        "une clé appartient à une seule personne : retirez-la du membre qui n'en détient pas la clé privée",
    # signing.py: why a record breaks the rule of signatures
    "{action} by commit {commit} ({committer}), which is not signed: it needs the signature of {who}":
        "{action} par le commit {commit} ({committer}), qui n'est pas signé : il faut la signature {who}",
    "{action} by commit {commit} ({committer}), signed by a key no member declared ({key}): it needs the signature of {who}":
        "{action} par le commit {commit} ({committer}), signé par une clé qu'aucun membre n'a déclarée ({key}) : il faut la signature {who}",
    "{action} by commit {commit} ({committer}), signed by {signers}: it needs the signature of {who}":
        "{action} par le commit {commit} ({committer}), signé par {signers} : il faut la signature {who}",
    "{action} by commit {commit} ({committer}), whose signature does not verify: it needs the signature of {who}":
        "{action} par le commit {commit} ({committer}), dont la signature n'est pas valide : il faut la signature {who}",
    "record|added": "fiche ajoutée",
    "record|changed": "fiche modifiée",
    "record|removed": "fiche supprimée",
    "{members} or a steward": "de {members} ou d'un intendant",
    "a steward": "d'un intendant",
    # guard.py and cli/signing.py: fab guard, fab keys
    "the main branch cannot be deleted: it is the ledger's audit trail":
        "la branche principale ne peut pas être supprimée : c'est la trace d'audit du registre",
    "this push rewrites the history of the main branch ({old} is not in the new history): history is the audit trail; correct with a new commit instead (git revert)":
        "cet envoi réécrit l'historique de la branche principale ({old} n'est plus dans le nouvel historique) : l'historique est la trace d'audit ; corrigez plutôt par un nouveau commit (git revert)",
    "the ledger at {new} has problems (fab check):": "le registre à {new} a des problèmes (fab check) :",
    "{root} is not a git repository: fab guard runs as the pre-receive hook of one":
        "{root} n'est pas un dépôt git : fab guard s'exécute comme hook pre-receive d'un dépôt",
    "Members' public signing keys, as git uses them.": "Les clés de signature publiques des membres, telles que git les utilise.",
    "Write to this file instead of the screen. Example: --output .git/allowed_signers":
        "Écrit dans ce fichier plutôt qu'à l'écran. Exemple : --output .git/allowed_signers",
    "git's allowed-signers file, made from the keys members declare in their member files (signing_keys),\nso that git log --show-signature names who signed each commit.\n\nExample: fab keys allowed-signers --output ~/.config/git/allowed_signers\nExample: git config gpg.ssh.allowedSignersFile ~/.config/git/allowed_signers":
        "Le fichier allowed-signers de git, fait des clés que les membres déclarent dans leur fiche (signing_keys),\npour que git log --show-signature nomme qui a signé chaque commit.\n\nExemple : fab keys allowed-signers --output ~/.config/git/allowed_signers\nExemple : git config gpg.ssh.allowedSignersFile ~/.config/git/allowed_signers",
    "Install fab guard as the pre-receive hook of this (bare) repository. Example: --install /srv/git/fabrique.git":
        "Installe fab guard comme hook pre-receive de ce dépôt (nu). Exemple : --install /srv/git/fabrique.git",
    "Refuse pushes that break the ledger: run by git as the pre-receive hook of a shared repository\n(install it with --install). A push is refused when the ledger it brings fails fab check, changes a\nsealed period without a reopen on record, rewrites or deletes the main branch, or (signatures:\nrequired) brings a record not signed by the member it names or a steward.\n\nExample: fab guard --install /srv/git/fabrique.git":
        "Refuse les envois qui abîment le registre : exécuté par git comme hook pre-receive d'un dépôt partagé\n(installez-le avec --install). Un envoi est refusé quand le registre qu'il apporte échoue à fab check, modifie une\npériode scellée sans réouverture motivée, réécrit ou supprime la branche principale, ou (signatures:\nrequired) apporte une fiche non signée par le membre qu'elle nomme ou par un intendant.\n\nExemple : fab guard --install /srv/git/fabrique.git",
    "fab guard could not read the push: {error}": "fab guard n'a pas pu lire l'envoi : {error}",
    "fab guard: warning: {warning}": "fab guard : avertissement : {warning}",
    "fab guard: refused {ref} ({old}..{new}):": "fab guard : {ref} refusée ({old}..{new}) :",
    "fab guard: nothing was accepted; fix the commits (fab check, fab verify show the same problems), then push again":
        "fab guard : rien n'a été accepté ; corrigez les commits (fab check et fab verify montrent les mêmes problèmes), puis envoyez de nouveau",
    "{repo} is not a git repository": "{repo} n'est pas un dépôt git",
    "give the path of the shared (bare) repository, like /srv/git/fabrique.git":
        "donnez le chemin du dépôt partagé (nu), comme /srv/git/fabrique.git",
    "{hook} already exists and was not written by fab": "{hook} existe déjà et n'a pas été écrit par fab",
    "add this line to it: {command}": "ajoutez-y cette ligne : {command}",
    "installed {hook}: pushes to {repo} are checked by fab guard": "{hook} installé : les envois vers {repo} sont vérifiés par fab guard",
    # cli/writes.py and cli/common.py: keys and signed commits
    "A public SSH key the member signs commits with (the line of their .pub file, or the file); repeat for several. Example: --signing-key ~/.ssh/id_ed25519.pub":
        "Une clé SSH publique avec laquelle le membre signe ses commits (la ligne de son fichier .pub, ou le fichier) ; à répéter pour plusieurs. Exemple : --signing-key ~/.ssh/id_ed25519.pub",
    "could not read {path}: {reason}": "impossible de lire {path} : {reason}",
    "committed {commit}, signed": "commité {commit}, signé",
    "warning: this commit is not signed, and the ledger asks for signatures ({mode}): fab verify will report it{refused}; to sign with your SSH key: git config gpg.format ssh && git config user.signingkey ~/.ssh/id_ed25519.pub && git config commit.gpgsign true (and declare the key in your member file, signing_keys)":
        "avertissement : ce commit n'est pas signé, et le registre demande des signatures ({mode}) : fab verify le signalera{refused} ; pour signer avec votre clé SSH : git config gpg.format ssh && git config user.signingkey ~/.ssh/id_ed25519.pub && git config commit.gpgsign true (et déclarez la clé dans votre fiche de membre, signing_keys)",
    " and a guarded repository will refuse it": " et un dépôt gardé le refusera",
}
