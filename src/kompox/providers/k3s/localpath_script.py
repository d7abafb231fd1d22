"""The shell script the ``localpath`` helper pods run on a node (busybox ``sh``).

One script, one operation per run: ``sh -c SCRIPT kompox-helper <op> <args…>``.
Every path argument is relative to ``$ROOT``, the mount point of the node's
base path inside the helper container; the script refuses empty, absolute
and ``..`` paths.  Results are printed as one ``KOMPOX-RESULT key=value…``
line on stdout.  New data is written under a ``.tmp`` name and renamed into
place only when complete, so a failed run never leaves a half-written disk or
archive behind (the temporary is removed before exiting).

Operations:

``create <disk>``
    an empty directory (mode 0777, as K3s's local-path provisioner).
``copy <src-disk> <disk>``
    a new disk holding a copy of ``src-disk`` (``cp -a``).
``archive <src-disk> <file>``
    a tar archive of the disk; prints ``sha256=<hex> size=<bytes>``.
``verify <file> <sha256>``
    checks the archive's SHA-256.
``restore <file> <sha256> <disk>``
    ``verify``, then a new disk unpacked from the archive.
``delete <path>``
    removes a disk or an archive; a missing path is success.
``send <file>``
    writes the archive to stdout (the source side of a transfer, run by
    ``exec`` in a long-lived helper pod).
``receive <file> <sha256> <size>``
    reads ``size`` bytes of an archive from stdin (``head -c``: it ends
    without waiting for an end of stream, which an exec's stdin cannot always
    signal) into ``<file>.partial`` (overwriting what an interrupted transfer
    left), checks its SHA-256 (a mismatch, also a stream cut short, removes
    the partial file, exit 15) and renames it into place; prints
    ``sha256=<hex> size=<bytes>``.  An archive already in place with that
    checksum is success (a re-run after the rename); another one is exit 12.

The same text is sent to the cluster and run by the tests with ``sh`` on
temporary directories (tests/providers/k3s/test_localpath_script.py).
"""

from __future__ import annotations

from enum import IntEnum

SCRIPT_NAME = "kompox-helper"
RESULT_PREFIX = "KOMPOX-RESULT"


class ScriptExit(IntEnum):
    """Exit codes of the script, mapped to typed errors by the helper pod runner."""

    OK = 0
    USAGE = 10  # unknown operation or a bad path argument
    NOT_WRITABLE = 11  # the base path (or a directory under it) cannot be written
    EXISTS = 12  # the target disk or archive already exists
    MISSING = 13  # the source disk or archive does not exist
    WRITE_FAILED = 14  # writing data failed (disk full, I/O error)
    CHECKSUM = 15  # the archive's SHA-256 differs from the recorded one
    BAD_ARCHIVE = 16  # the archive cannot be unpacked


SCRIPT = r"""set -u
fail() { code=$1; shift; echo "kompox-helper: $*" >&2; exit "$code"; }
rel() {
  case "$1" in
    ''|/*|..|../*|*/..|*/../*) fail 10 "bad path argument: '$1'" ;;
  esac
  printf '%s/%s' "$ROOT" "$1"
}
[ -n "${ROOT:-}" ] || fail 10 "ROOT is not set"
[ -d "$ROOT" ] || fail 11 "base path $ROOT is not a directory"
parent() {
  mkdir -p "$(dirname "$1")" 2>/dev/null || fail 11 "cannot create $(dirname "$1") under the base path"
  [ -w "$(dirname "$1")" ] || fail 11 "$(dirname "$1") is not writable"
}
newdir() {
  [ -e "$1" ] && fail 12 "$1 already exists"
  parent "$1"
  rm -rf "$1.tmp"
  mkdir "$1.tmp" 2>/dev/null || fail 11 "cannot create $1.tmp"
  chmod 0777 "$1.tmp"
}
commit() {
  mv "$1.tmp" "$1" || { rm -rf "$1.tmp"; fail 14 "cannot move $1 into place"; }
}
checksum() {
  [ -f "$1" ] || fail 13 "archive $1 does not exist"
  got=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$got" = "$2" ] || fail 15 "checksum mismatch for $1: recorded $2, found $got"
}
op=${1:-}
[ $# -gt 0 ] && shift
case "$op" in
  create)
    [ $# -eq 1 ] || fail 10 "usage: create <disk>"
    d=$(rel "$1") || exit $?
    newdir "$d"
    commit "$d"
    echo "KOMPOX-RESULT created=$1"
    ;;
  copy)
    [ $# -eq 2 ] || fail 10 "usage: copy <src-disk> <disk>"
    s=$(rel "$1") || exit $?
    d=$(rel "$2") || exit $?
    [ -d "$s" ] || fail 13 "source disk $s does not exist"
    newdir "$d"
    cp -a "$s/." "$d.tmp/" || { rm -rf "$d.tmp"; fail 14 "copy $s to $d failed"; }
    commit "$d"
    echo "KOMPOX-RESULT copied=$2"
    ;;
  archive)
    [ $# -eq 2 ] || fail 10 "usage: archive <src-disk> <file>"
    s=$(rel "$1") || exit $?
    f=$(rel "$2") || exit $?
    [ -d "$s" ] || fail 13 "source disk $s does not exist"
    [ -e "$f" ] && fail 12 "archive $f already exists"
    parent "$f"
    rm -f "$f.tmp"
    tar -C "$s" -cf "$f.tmp" . || { rm -f "$f.tmp"; fail 14 "writing archive $f failed"; }
    sum=$(sha256sum "$f.tmp" | cut -d' ' -f1)
    size=$(wc -c < "$f.tmp" | tr -d ' ')
    mv "$f.tmp" "$f" || { rm -f "$f.tmp"; fail 14 "cannot move $f into place"; }
    echo "KOMPOX-RESULT sha256=$sum size=$size"
    ;;
  verify)
    [ $# -eq 2 ] || fail 10 "usage: verify <file> <sha256>"
    f=$(rel "$1") || exit $?
    checksum "$f" "$2"
    echo "KOMPOX-RESULT verified=$2"
    ;;
  restore)
    [ $# -eq 3 ] || fail 10 "usage: restore <file> <sha256> <disk>"
    f=$(rel "$1") || exit $?
    d=$(rel "$3") || exit $?
    checksum "$f" "$2"
    newdir "$d"
    tar -C "$d.tmp" -xf "$f" || { rm -rf "$d.tmp"; fail 16 "cannot unpack $f"; }
    commit "$d"
    echo "KOMPOX-RESULT restored=$3"
    ;;
  delete)
    [ $# -eq 1 ] || fail 10 "usage: delete <path>"
    p=$(rel "$1") || exit $?
    rm -rf "$p" "$p.tmp" || fail 11 "cannot delete $p"
    echo "KOMPOX-RESULT deleted=$1"
    ;;
  send)
    [ $# -eq 1 ] || fail 10 "usage: send <file>"
    f=$(rel "$1") || exit $?
    [ -f "$f" ] || fail 13 "archive $f does not exist"
    cat "$f" || fail 14 "reading archive $f failed"
    ;;
  receive)
    [ $# -eq 3 ] || fail 10 "usage: receive <file> <sha256> <size>"
    f=$(rel "$1") || exit $?
    case "$3" in ''|*[!0-9]*) fail 10 "bad size argument: '$3'" ;; esac
    if [ -e "$f" ]; then
      head -c "$3" > /dev/null
      got=$(sha256sum "$f" | cut -d' ' -f1)
      [ "$got" = "$2" ] || fail 12 "archive $f already exists with another checksum ($got, not $2)"
      size=$(wc -c < "$f" | tr -d ' ')
      echo "KOMPOX-RESULT sha256=$2 size=$size existing=true"
      exit 0
    fi
    parent "$f"
    head -c "$3" > "$f.partial" || { rm -f "$f.partial"; fail 14 "writing $f.partial failed"; }
    got=$(sha256sum "$f.partial" | cut -d' ' -f1)
    [ "$got" = "$2" ] || { rm -f "$f.partial"; fail 15 "checksum mismatch for $f: recorded $2, received $got"; }
    size=$(wc -c < "$f.partial" | tr -d ' ')
    mv "$f.partial" "$f" || { rm -f "$f.partial"; fail 14 "cannot move $f into place"; }
    echo "KOMPOX-RESULT sha256=$got size=$size"
    ;;
  *)
    fail 10 "unknown operation '$op' (create, copy, archive, verify, restore, delete, send, receive)"
    ;;
esac
"""


def command(op: str, *args: str) -> list[str]:
    """The container command running ``op`` (the script text is passed verbatim)."""
    return ["sh", "-c", SCRIPT, SCRIPT_NAME, op, *args]


def parse_result(log_text: str) -> dict[str, str]:
    """``key=value`` pairs of the last ``KOMPOX-RESULT`` line of a helper's log (``{}`` when absent)."""
    for line in reversed(log_text.splitlines()):
        if line.startswith(RESULT_PREFIX + " "):
            pairs = (item.partition("=") for item in line[len(RESULT_PREFIX) + 1 :].split())
            return {key: value for key, sep, value in pairs if sep}
    return {}
