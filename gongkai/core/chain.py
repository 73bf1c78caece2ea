"""The keyed hash of the audit chain and its anchors outside the database.

A row's hash is ``HMAC(key, prev_hash + "\\n" + canonical_json(row))``. The key comes from the
``GONGKAI_AUDIT_KEY`` setting (environment, or a file under var/), never from the database, so someone who
can write to the database but does not hold the key cannot recompute a valid chain. HMAC-SHA-256 is the
default; HMAC-SM3 (GB/T 32905) is available for 商用密码 evaluations (``GONGKAI_AUDIT_HASH=sm3``), through
the OpenSSL that ships inside ``cryptography``. Each row records its algorithm, so a chain may change
algorithm part way without re-keying; both are keyed, so switching buys an attacker nothing.

Anchors pin the head outside the database: one JSON line per anchor, appended (``O_APPEND``) to
``GONGKAI_AUDIT_ANCHOR_FILE`` and optionally sent to syslog (``GONGKAI_AUDIT_ANCHOR_SYSLOG``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HMAC_SHA256 = "hmac-sha256"
HMAC_SM3 = "hmac-sm3"
ALGORITHMS = {"sha256": HMAC_SHA256, "sm3": HMAC_SM3}
KEYED_ALGORITHMS = frozenset(ALGORITHMS.values())


def canonical_json(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def current_algorithm() -> str:
    """The algorithm new rows use (setting ``GONGKAI_AUDIT_HASH``: ``sha256``, the default, or ``sm3``)."""
    name = str(getattr(settings, "GONGKAI_AUDIT_HASH", "sha256") or "sha256").lower()
    if name not in ALGORITHMS:
        raise ImproperlyConfigured(f"GONGKAI_AUDIT_HASH 只能是 sha256 或 sm3，当前为「{name}」。")
    return ALGORITHMS[name]


def audit_key() -> bytes:
    key = str(getattr(settings, "GONGKAI_AUDIT_KEY", "") or "")
    if len(key) < 16:
        raise ImproperlyConfigured("未配置审计日志密钥 GONGKAI_AUDIT_KEY（至少 16 个字符）。")
    return key.encode()


def _hmac_sm3(key: bytes, message: bytes) -> str:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import hmac as crypto_hmac

    try:
        mac = crypto_hmac.HMAC(key, hashes.SM3())
    except UnsupportedAlgorithm as exc:  # pragma: no cover - cryptography on an OpenSSL without SM3
        raise ImproperlyConfigured(
            "当前的 cryptography/OpenSSL 不支持 SM3，不能使用 GONGKAI_AUDIT_HASH=sm3。"
        ) from exc
    mac.update(message)
    return mac.finalize().hex()


def chain_hash(alg: str, prev_hash: str, content: dict[str, Any], *, key: bytes | None = None) -> str:
    """The hash of one row: keyed with ``alg`` over the previous hash and the row's canonical content."""
    message = f"{prev_hash}\n{canonical_json(content)}".encode()
    key = audit_key() if key is None else key
    if alg == HMAC_SHA256:
        return hmac.new(key, message, hashlib.sha256).hexdigest()
    if alg == HMAC_SM3:
        return _hmac_sm3(key, message)
    raise ValueError(f"未知的审计哈希算法「{alg}」")


# --- anchors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    entry_id: int
    hash: str
    at: str
    line: int = 0

    def where(self) -> str:
        return f"{self.at} 的外部锚点（锚点文件第 {self.line} 行）" if self.line else f"{self.at} 的外部锚点"


class AnchorFileError(Exception):
    """The anchor file cannot be read or a line of it is not an anchor (Chinese message)."""


def anchor_file() -> Path | None:
    path = getattr(settings, "GONGKAI_AUDIT_ANCHOR_FILE", "")
    return Path(path) if path else None


def anchor_syslog() -> str:
    return str(getattr(settings, "GONGKAI_AUDIT_ANCHOR_SYSLOG", "") or "")


def read_anchors() -> list[Anchor]:
    """Every anchor in the file, in file order; a line that is not an anchor is an error (tampering)."""
    path = anchor_file()
    if path is None or not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AnchorFileError(f"无法读取审计锚点文件 {path}：{exc}") from exc
    anchors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            anchor = Anchor(int(data["id"]), str(data["hash"]), str(data.get("at", "")), number)
        except (ValueError, KeyError, TypeError) as exc:
            raise AnchorFileError(f"审计锚点文件 {path} 第 {number} 行无法解析（文件被改动？）") from exc
        if anchor.entry_id < 0 or len(anchor.hash) != 64:
            raise AnchorFileError(f"审计锚点文件 {path} 第 {number} 行无法解析（文件被改动？）")
        anchors.append(anchor)
    return anchors


def write_anchor(record: dict[str, Any]) -> list[str]:
    """Append one anchor line to the file and/or send it to syslog; return where it went."""
    line = canonical_json(record)
    written = []
    path = anchor_file()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_APPEND: every write lands at the end, whatever else has the file open; one write per line.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        written.append(str(path))
    if address := anchor_syslog():
        _send_syslog(address, line)
        written.append(f"syslog {address}")
    return written


def _send_syslog(address: str, line: str) -> None:
    """``/dev/log`` (a local socket) or ``host:port`` (UDP, port 514 by default); facility authpriv, notice.

    Sent directly rather than through ``logging`` so that a failure raises instead of being printed and lost.
    """
    message = f"<{10 * 8 + 5}>gongkai-audit-anchor: {line}".encode()  # authpriv (10) * 8 + notice (5)
    if address.startswith("/"):
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.send(message)
        return
    host, sep, port = address.rpartition(":")
    if not sep:
        host, port = address, "514"
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(message, (host.strip("[]"), int(port)))


def audit_key_id(key: bytes | None = None) -> str:
    """A short, stable name of the audit key (never the key): a backup records it, a restore compares it."""
    key = audit_key() if key is None else key
    return hmac.new(key, b"gongkai audit key id", hashlib.sha256).hexdigest()[:16]
