"""A real MediaWiki for the tests of ``fab wiki`` (issue 16): Debian's ``mediawiki`` package, a fresh SQLite
wiki in a temporary folder (its LocalSettings.php there too, through MW_CONFIG_FILE: nothing is written to
/etc or /usr/share), served by ``php -S`` on a free loopback port, in its own process group (stopped as a
group).  Users and bot passwords are made with the wiki's own maintenance scripts."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

MEDIAWIKI = Path("/usr/share/mediawiki")
PHP_MODULES = ("pdo_sqlite", "mbstring", "xml", "intl")
BOT_PASSWORD = "0123456789abcdef0123456789abcdef"  # MediaWiki wants 32+ characters of [0-9a-w]
READ_ONLY_PASSWORD = "fedcba9876543210fedcba9876543210"
USER_PASSWORD = "alice-wiki-password-2026"


def missing() -> str | None:
    """Why a wiki cannot be started here (None when it can)."""
    if shutil.which("php") is None:
        return "php is not installed (apt-get install php-cli php-sqlite3 php-mbstring php-xml php-intl)"
    if not (MEDIAWIKI / "maintenance/install.php").exists():
        return "MediaWiki is not installed (apt-get install mediawiki)"
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True).stdout.lower().split()
    lacking = [m for m in PHP_MODULES if m not in modules]
    return f"PHP lacks the modules {', '.join(lacking)} (apt-get install php-sqlite3 php-mbstring php-xml php-intl)" if lacking else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Wiki:
    folder: Path
    port: int
    server: subprocess.Popen | None = None

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api.php"

    def php(self, script: str, *args: str) -> str:
        env = {**os.environ, "MW_CONFIG_FILE": str(self.folder / "LocalSettings.php")}
        done = subprocess.run(["php", str(MEDIAWIKI / "maintenance" / script), *args], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start(self) -> None:
        env = {**os.environ, "MW_CONFIG_FILE": str(self.folder / "LocalSettings.php")}
        env.pop("PHP_CLI_SERVER_WORKERS", None)
        self.server = subprocess.Popen(["php", "-S", f"127.0.0.1:{self.port}", "-t", str(MEDIAWIKI)], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120  # a fresh wiki's first answer builds its caches: slow on a busy machine
        while time.monotonic() < deadline:
            try:
                if requests.get(self.api, params={"action": "query", "meta": "siteinfo", "format": "json"}, timeout=60).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("MediaWiki did not answer within 120 s")

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=10)
        self.server = None

    # --- what the tests ask of the wiki, through its API ---------------------------------------------

    def session(self, user: str, password: str) -> requests.Session:
        """A logged-in API session (action=login: a bot password, or a main password as here)."""
        http = requests.Session()
        token = self.get(http, action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
        answer = http.post(self.api, data={"action": "login", "lgname": user, "lgpassword": password, "lgtoken": token,
                                           "format": "json"}).json()
        assert answer["login"]["result"] == "Success", answer
        return http

    def get(self, http: requests.Session | None = None, **params) -> dict:
        return (http or requests).get(self.api, params={**params, "format": "json", "formatversion": 2}, timeout=30).json()

    def edit(self, http: requests.Session, title: str, text: str, summary: str = "by hand") -> int:
        token = self.get(http, action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
        answer = http.post(self.api, data={"action": "edit", "title": title, "text": text, "summary": summary,
                                           "token": token, "format": "json", "formatversion": 2}).json()
        assert answer["edit"]["result"] == "Success", answer
        return answer["edit"].get("newrevid")

    def text(self, title: str) -> str | None:
        page = self.get(action="query", prop="revisions", titles=title, rvprop="content", rvslots="main")["query"]["pages"][0]
        return None if page.get("missing") else page["revisions"][0]["slots"]["main"]["content"]

    def revisions(self, title: str) -> list[dict]:
        page = self.get(action="query", prop="revisions", titles=title, rvprop="ids|user|comment", rvlimit=50)["query"]["pages"][0]
        return page.get("revisions", [])

    def edit_as_admin(self, title: str, text: str) -> None:
        """An edit by the wiki's own maintenance script (MediaWiki:Common.js needs rights the API would ask for)."""
        env = {**os.environ, "MW_CONFIG_FILE": str(self.folder / "LocalSettings.php")}
        done = subprocess.run(["php", str(MEDIAWIKI / "maintenance/edit.php"), "--user", "Admin", "--summary", "test", title],
                              input=text, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr

    def html(self, title: str) -> str:
        return self.get(action="parse", page=title, prop="text")["parse"]["text"]


def make_wiki(folder: Path) -> Wiki:
    """A new wiki with an admin, a bot account (FabBot) with a bot password ``fab`` that may edit and one
    ``ro`` that may not, and an ordinary user AliceMartin; started."""
    wiki = Wiki(folder, free_port())
    settings = folder / "LocalSettings.php"
    env = {**os.environ, "MW_CONFIG_FILE": str(settings)}
    done = subprocess.run(["php", str(MEDIAWIKI / "maintenance/install.php"), "--dbtype", "sqlite", "--dbpath", str(folder / "db"),
                           "--confpath", str(folder), "--server", f"http://127.0.0.1:{wiki.port}", "--scriptpath", "",
                           "--lang", "en", "--pass", "admin-password-2026", "FabTestWiki", "Admin"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    with settings.open("a", encoding="utf-8") as extra:
        extra.write("\n$wgMainCacheType = CACHE_NONE;\n$wgSessionCacheType = CACHE_DB;\n$wgRateLimits = [];\n"
                    "$wgPasswordAttemptThrottle = [];\n$wgEnableUploads = false;\n")
    wiki.php("createAndPromote.php", "--bot", "FabBot", "fabbot-main-password-2026")
    wiki.php("createBotPassword.php", "--appid", "fab", "--grants", "basic,highvolume,editpage,createeditmovepage", "FabBot", BOT_PASSWORD)
    wiki.php("createBotPassword.php", "--appid", "ro", "--grants", "basic", "FabBot", READ_ONLY_PASSWORD)
    wiki.php("createAndPromote.php", "AliceMartin", USER_PASSWORD)
    wiki.start()
    return wiki
