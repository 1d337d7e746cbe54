"""When merging two RUNs pays (analysis/layers.py with data/layers.toml), on the shell alone."""

from __future__ import annotations

import pytest

from optimizer.analysis.layers import CACHE, INDEX, REMOVES, TRIVIAL, merge_reason
from optimizer.syntax.shell import parse_script


@pytest.mark.parametrize(
    "prev,cur,kind",
    [
        ("curl -fsSL https://x/t.tgz -o /tmp/t.tgz && tar -xzf /tmp/t.tgz -C /opt", "rm /tmp/t.tgz", REMOVES),
        ("wget https://x/a/Anaconda3-5.1.0-Linux-x86_64.sh", "chmod 755 Anaconda3*.sh", REMOVES),
        ("curl -sSL https://x/upload.sh > /usr/local/bin/upload.sh", "chmod +x /usr/local/bin/upload.sh", REMOVES),
        ("git clone --depth 1 -b v1 https://x/p.git /src/p", "rm -rf /src/p/.git", REMOVES),
        ("git clone https://x/p.git", "rm -rf p/.git", REMOVES),
        ("mv /w/run.sh /opt/conf/", "chmod +x /opt/conf/run.sh", REMOVES),
        ("mkdir -p /apps/w && curl -o /apps/w/x https://x/x", "chown -R node:node /apps/w", REMOVES),
        ("unzip a.zip -d /opt/a", "find /opt/a -name '*.md' -delete", REMOVES),
        ("apt-get update && apt-get install -y curl", "apt-get clean && rm -rf /var/lib/apt/lists/*", CACHE),
        ("apt-get install -y rsync", "rm -r /var/lib/apt/lists/*", CACHE),
        ("pip install flask", "rm -rf /root/.cache", CACHE),
        ("npm ci", "npm cache clean --force", CACHE),
        ("apt-get update", "apt-get install -y gcc libpq-dev", INDEX),
        ("apt-get update -qq", "DEBIAN_FRONTEND=noninteractive apt-get install -y curl", INDEX),
        ("apk update", "apk add curl", INDEX),
        ("yum makecache", "yum install -y git", INDEX),
        ("mkdir -p /data", "ln -s /data /srv/data", TRIVIAL),
        ("useradd -m app", "usermod -aG sudo app", TRIVIAL),
        ("echo 'a' >> /etc/x.conf", "git config --global user.name bot", TRIVIAL),
    ],
)
def test_pays(prev: str, cur: str, kind: str) -> None:
    reason = merge_reason(parse_script(prev), parse_script(cur))
    assert reason is not None and reason.kind == kind, reason


@pytest.mark.parametrize(
    "prev,cur",
    [
        ("pip install torch", "pip install git+https://x/lib.git@main"),
        (
            "apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*",
            "apt-get update && apt-get install -y b && rm -rf /var/lib/apt/lists/*",
        ),
        (
            "apt-get update && apt-get install -y a",
            "apt-get update && apt-get install -y b && rm -rf /var/lib/apt/lists/*",
        ),
        ("git clone https://x/t.git /src/t", "make -C /src/t install"),
        ("pip install --prefix=/usr/local gunicorn", "chmod +x /usr/local/bin/entrypoint.sh"),
        ("bash /tmp/scripts/setup.sh", "rm -rf /tmp/scripts"),  # read, not written: the bytes are in the COPY layer
        ("cat /tmp/.env", "rm -rf /tmp/*"),
        ("apt-get install -y nginx && rm -rf /var/lib/apt/lists/*", "mkdir -p /var/www"),
        ("mkdir -p /var/www", "curl -o /var/www/index.html https://x/"),
        ("rm -rf /tmp/x", "rm -rf /tmp/x && pip install y"),
        ("apt-get update", "pip install flask"),  # the index is not what the later RUN uses
        ("apt-get update && curl -o /x https://x/", "apt-get install -y y"),  # not only an index download
        ("apk update", "apt-get install -y y"),
    ],
)
def test_does_not_pay(prev: str, cur: str) -> None:
    assert merge_reason(parse_script(prev), parse_script(cur)) is None


@pytest.mark.parametrize(
    "prev,cur,workdir,removed",
    [
        # `cd` before a relative download: the file is /tmp/t.tgz (issue #24)
        (
            "cd /tmp && curl -fsSL -o t.tgz https://x/t.tgz && tar -xzf t.tgz -C /opt",
            "rm -f /tmp/t.tgz",
            None,
            "/tmp/t.tgz",
        ),
        ("cd /tmp && wget -O t.zip https://x/t.zip && unzip t.zip -d /opt", "rm -f /tmp/t.zip", None, "/tmp/t.zip"),
        ("cd /tmp && curl -fsSLO https://x/t-1.tgz", "cd /tmp && rm t-1.tgz", None, "/tmp/t-1.tgz"),
        # the WORKDIR both RUNs start in
        ("curl -fsSL -o t.tgz https://x/t.tgz", "rm -f /tmp/t.tgz", "/tmp", "/tmp/t.tgz"),
        ("wget -q https://x/t.tgz", "rm -f /srv/t.tgz", "/srv", "/srv/t.tgz"),
    ],
)
def test_pays_with_folders(prev: str, cur: str, workdir: str | None, removed: str) -> None:
    reason = merge_reason(parse_script(prev), parse_script(cur), workdir)
    assert reason is not None and reason.kind == REMOVES, reason
    assert f"`{removed}`" in reason.detail


@pytest.mark.parametrize(
    "prev,cur,workdir",
    [
        ("cd /tmp && curl -fsSL -o t.tgz https://x/t.tgz", "rm -f /src/t.tgz", None),  # another folder
        ("curl -fsSL -o t.tgz https://x/t.tgz", "rm -f /tmp/t.tgz", "/src"),
        ("cd $DIR && curl -fsSL -o t.tgz https://x/t.tgz", "cd $OTHER && rm -f t.tgz", None),  # two unknown folders
        ("cd /tmp && curl -fsSL -o t.tgz https://x/t.tgz", "rm -f t.tgz", None),  # the later RUN is not in /tmp
    ],
)
def test_does_not_pay_with_folders(prev: str, cur: str, workdir: str | None) -> None:
    assert merge_reason(parse_script(prev), parse_script(cur), workdir) is None
