"""French of what keeps a closed period's truth (seals.py, the write's consequences, the sealed split,
fab diff per period, fab close): see ``fr.py``.  Vocabulary as there: seal « scellé », sealed « scellée »
(a period), split « co-rémunération », what-if « simulation », carried over « reporté »."""

FR_SEALS: dict[str, str] = {
    # seals.py: what a seal covers, and its numbers
    "{period} was closed on {date} ({path})": "{period} a été close le {date} ({path})",
    "a closed period's records stay as they were sealed; to change {period}, reopen it on record first: fab close --reopen {period} --reason ...":
        "les fiches d'une période close restent telles qu'elles ont été scellées ; pour modifier {period}, rouvrez-la d'abord, motif à l'appui : fab close --reopen {period} --reason ...",
    "{path} was removed after {closed}": "{path} a été supprimé après la clôture : {closed}",
    "changed after {closed}": "fiche modifiée après la clôture : {closed}",
    "added to {period} after {closed}": "fiche ajoutée à {period} après la clôture : {closed}",
    "reviews a {kind} of {period} after {closed}: the reviews of a closed period's contributions and requests are sealed with it":
        "évalue une {kind} de {period} après la clôture ({closed}) : les évaluations des contributions et des demandes d'une période close sont scellées avec elle",
    "contribution": "contribution",
    "request": "demande",
    "the currency is {currency}, but {period} was sealed in {sealed}: its amounts would be read in {currency}":
        "la monnaie est {currency}, mais {period} a été scellée en {sealed} : ses montants seraient lus en {currency}",
    "set currency back to {sealed}: a ledger keeps its currency once a period is sealed":
        "remettez currency à {sealed} : un registre garde sa monnaie dès qu'une période est scellée",
    "'{name}' is {value}: a sealed amount is never negative and has at most {digits} decimals":
        "'{name}' vaut {value} : un montant scellé n'est jamais négatif et a au plus {digits} décimales",
    "'payouts' names '{member}', who is not a member": "'payouts' nomme '{member}', qui n'est pas membre",
    "distributable {distributable} is not pool {pool} − commons {commons}":
        "le montant à répartir {distributable} n'est pas le pot commun {pool} − la part des communs {commons}",
    "payouts {paid} + carried over {carried_over} = {total}, not the distributable {distributable}":
        "versements {paid} + reporté {carried_over} = {total}, et non le montant à répartir {distributable}",
    "pool {pool} is not the donations of {period} {donations} + carried in {carried_in}":
        "le pot commun {pool} n'est pas les dons de {period} {donations} + le report entrant {carried_in}",
    "{period} was sealed with {taken} carried in, but {before} carries over {owed}":
        "{period} a été scellée avec un report entrant de {taken}, mais {before} reporte {owed}",
    "{period} was sealed with {taken} carried in from {before}, which is not closed":
        "{period} a été scellée avec un report entrant de {taken} venant de {before}, qui n'est pas close",
    "periods are closed in order, each taking in the carry-over of the one before: reopen {period} first (fab close --reopen {period} --reason ...), then close {before} and {period} again":
        "les périodes se closent dans l'ordre, chacune reprenant le report de la précédente : rouvrez d'abord {period} (fab close --reopen {period} --reason ...), puis closez {before} et de nouveau {period}",
    "commons {commons} is not commons_share {share} × donations {donations}, rounded down ({expected})":
        "la part des communs {commons} n'est pas commons_share {share} × dons {donations}, arrondi par défaut ({expected})",
    # problems.py: the codes sealed and seal
    "a record added, changed or removed in a closed period, or a review of its contributions and requests":
        "une fiche ajoutée, modifiée ou supprimée dans une période close, ou une évaluation de ses contributions et demandes",
    "a closed period's records stay as they were sealed; to change them, reopen the period on record first: fab close --reopen PERIOD --reason ...":
        "les fiches d'une période close restent telles qu'elles ont été scellées ; pour les modifier, rouvrez d'abord la période, motif à l'appui : fab close --reopen PÉRIODE --reason ...",
    "a seal whose numbers do not add up, or that does not match its period, its neighbours or the ledger's currency":
        "un scellé dont les montants ne tombent pas juste, ou qui ne correspond pas à sa période, à ses voisines ou à la monnaie du registre",
    "seal files are written by fab close; put this one back as fab close wrote it (git restore, or git revert the commit that changed it)":
        "les scellés sont écrits par fab close ; remettez celui-ci tel que fab close l'a écrit (git restore, ou git revert du commit qui l'a modifié)",
    # payouts.py: a seal that pays less than was paid
    "the seal pays {member} {due} for {period}, less than the {paid} already paid to them ({references})":
        "le scellé verse {due} à {member} pour {period}, moins que les {paid} déjà payés ({references})",
    "a seal never pays anyone less than they were already paid: seal {period} with a policy or parameters that pay at least that (fab close {period} --policy ... --param ...); if a payment record is wrong, correct it first":
        "un scellé ne verse jamais à quelqu'un moins que ce qui lui a déjà été payé : scellez {period} avec une règle ou des paramètres qui versent au moins cela (fab close {period} --policy ... --param ...) ; si un paiement est mal enregistré, corrigez-le d'abord",
    # audit.py: settings changed after a seal
    "the settings changed after {period} was sealed ({fields}){by}; the seal stands, but recomputed under today's settings the split would differ: {differences}":
        "les réglages ont changé après le scellement de {period} ({fields}){by} ; le scellé demeure, mais recalculée avec les réglages d'aujourd'hui la co-rémunération serait différente : {differences}",
    "the settings changed after {period} was sealed ({fields}){by}: the sealed amounts and periods would be read in other units":
        "les réglages ont changé après le scellement de {period} ({fields}){by} : les montants et les périodes scellés seraient lus dans d'autres unités",
    # cli: writes, fab close, fab split
    "error: nothing was written; recording {rel} would leave the ledger with these problems:":
        "erreur : rien n'a été écrit ; enregistrer {rel} laisserait le registre avec ces problèmes :",
    "would remove {old} (it replaces it)": "supprimerait {old} (elle le remplace)",
    "also committed {rel}": "également commité : {rel}",
    "Commit the period's records that are not committed yet together with the seal (without it, fab close refuses to seal them).":
        "Commite avec le scellé les fiches de la période qui ne le sont pas encore (sans cette option, fab close refuse de les sceller).",
    "a seal is always committed, so that it can be verified; preview it with --dry-run":
        "un scellé est toujours commité, pour pouvoir être vérifié ; prévisualisez-le avec --dry-run",
    "{chosen} cannot be sealed while some of what the seal covers is not committed: {paths}":
        "{chosen} ne peut pas être scellée tant qu'une partie de ce que couvre le scellé n'est pas commitée : {paths}",
    "commit them first (git add ... && git commit), or add --include-uncommitted to commit them with the seal":
        "commitez-les d'abord (git add ... && git commit), ou ajoutez --include-uncommitted pour les commiter avec le scellé",
    "note: payments recorded for {period}: {listed}; the seal that closes it again must pay each member at least what they were paid":
        "note : paiements enregistrés pour {period} : {listed} ; le scellé qui la close de nouveau doit verser à chacun au moins ce qui lui a été payé",
    "{period} is closed: it was sealed on {date} with {policy}; this what-if is not what is paid (see fab split --period {period})":
        "{period} est close : elle a été scellée le {date} avec {policy} ; cette simulation n'est pas ce qui est versé (voir fab split --period {period})",
    "Compute the co-remuneration payouts of a period from the pool of donations; a closed period\nshows its seal (what is paid), and --policy/--param a labelled what-if.\n\nExample: fab split --period 2026-H1 --policy hybrid --param alpha=0.3 --explain":
        "Calcule les versements de co-rémunération d'une période à partir du pot commun des dons ; une période close\nmontre son scellé (ce qui est versé), et --policy/--param une simulation annoncée comme telle.\n\nExemple : fab split --period 2026-H1 --policy hybrid --param alpha=0.3 --explain",
    "What a branch or pull request changes, in words: records added, changed and removed, the\nproblems fab check finds in it, and the effect on the split of every period it touches, person by person.\nExit 1 when the proposed ledger has problems.\n\nExample: fab diff\nExample: fab diff origin/main HEAD --format md > comment.md":
        "Ce que change une branche ou une pull request, en mots : fiches ajoutées, modifiées et supprimées, les\nproblèmes que fab check y trouve, et l'effet sur la co-rémunération de chaque période touchée, personne par personne.\nCode de sortie 1 quand le registre proposé a des problèmes.\n\nExemple : fab diff\nExemple : fab diff origin/main HEAD --format md > comment.md",
    # render/split.py: what the numbers of a split are, and what each policy worked from
    "Split of {period} — {policy} — sealed on {date}": "Co-rémunération de {period} — {policy} — scellée le {date}",
    "What-if: split of {period} — {policy}": "Simulation : co-rémunération de {period} — {policy}",
    "Recomputed today, a what-if and not the seal: split of {period} — {policy}":
        "Recalculée aujourd'hui, une simulation et non le scellé : co-rémunération de {period} — {policy}",
    "recomputed today under its sealed policy, the split of {period} differs from the seal ({differences}): the ledger's settings or members changed since it was sealed on {date}. The seal is what is paid; the recomputation is only a what-if":
        "recalculée aujourd'hui avec sa règle scellée, la co-rémunération de {period} diffère du scellé ({differences}) : les réglages ou les membres du registre ont changé depuis son scellement le {date}. Le scellé est ce qui est versé ; le recalcul n'est qu'une simulation",
    "### How the sealed amounts were reached": "### Comment les montants scellés ont été obtenus",
    "request {id}: asks {amount}; approved by {approvals} ({count} of {needed} needed){objections}: {verdict}":
        "demande {id} : {amount} demandés ; approuvée par {approvals} ({count} sur {needed} nécessaires){objections} : {verdict}",
    "; objection by {who}": " ; objection de {who}",
    "counts": "comptée",
    "does not count": "non comptée",
    "points received: {received} ({givers})": "points reçus : {received} ({givers})",
    "decay {discount} per period: {periods}": "décroissance de {discount} par période : {periods}",
    "lifetime value {life} of {total}; paid before {paid}; target {target}; need {need}":
        "valeur cumulée {life} sur {total} ; déjà versé {paid} ; cible {target} ; besoin {need}",
    # render/audit.py: fab diff, period by period
    "{period} ({policy}, open)": "{period} ({policy}, ouverte)",
    "{period} ({policy}, sealed)": "{period} ({policy}, scellée)",
    "{period} ({policy}): closed by this change": "{period} ({policy}) : close par ce changement",
    "{period} ({policy}): reopened by this change": "{period} ({policy}) : rouverte par ce changement",
    "this change alters records that the seal of {period} covers: fab check refuses it; to change a closed period, reopen it on record first (fab close --reopen {period} --reason ...)":
        "ce changement modifie des fiches que couvre le scellé de {period} : fab check le refuse ; pour modifier une période close, rouvrez-la d'abord, motif à l'appui (fab close --reopen {period} --reason ...)",
}
