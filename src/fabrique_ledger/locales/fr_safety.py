"""French of what keeps hostile text from acting on a reader (issue 13, safe outputs): the characters a
record refuses (store/files.py) and the SEPA file's shortened names (render/payouts.py).  See ``fr.py``."""

FR_SAFETY: dict[str, str] = {
    # store/files.py: a control character in a record's text
    "holds {what} at character {position}": "contient {what} au caractère {position}",
    "a line break (U+{code})": "un saut de ligne (U+{code})",
    "a tab (U+{code})": "une tabulation (U+{code})",
    "a control character (U+{code})": "un caractère de contrôle (U+{code})",
    "a bidirectional control character (U+{code})": "un caractère de contrôle bidirectionnel (U+{code})",
    "this text is one line: write it without line breaks or tabs":
        "ce texte tient sur une ligne : écrivez-le sans saut de ligne ni tabulation",
    "remove it: such characters would act on the screens and pages where other members read the ledger "
    "(moving the cursor, erasing or reordering text)":
        "supprimez-le : ces caractères agiraient sur les écrans et les pages où les autres membres lisent le registre "
        "(déplacer le curseur, effacer ou réordonner du texte)",
    # render/payouts.py: the SEPA file's texts, shortened to what a bank takes
    "{what} is shortened to {limit} characters in the SEPA file (the most a bank takes): '{short}'":
        "{what} est raccourci à {limit} caractères dans le fichier SEPA (le maximum qu'accepte une banque) : '{short}'",
    "the name of {member}": "le nom de {member}",
    "the name of the debtor account": "le nom du compte débiteur",
    "the remittance text": "le libellé des virements",
}
