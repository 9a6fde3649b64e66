# xenready_bundle: bring one host's xenready bundle to the controller, without Python on the host.
#
# An action plugin runs on the controller. It talks to the target only through the connection's
# shell (`_low_level_execute_command`, what the `raw` module uses) or its file transfer
# (`fetch_file`, what sftp/scp/piped transfers do), so a NetBSD host with nothing but /bin/sh works.
# The built-in `fetch` module would need Python on the target (it runs `stat`, or `slurp` with become).
#
# Options:
#   src        remote path of the bundle the collector wrote
#   dest       controller path to write (bundles/<inventory_hostname>.tar.gz)
#   transfer   stdout (default): the bundle, base64-encoded, over the shell's standard output;
#              file: the connection's file transfer (streams; better for large bundles)
#   encoding   auto (default: base64, else uuencode -m, else od -v -t x1), or one of them (tests)
#   collector  the registered result of the collector task: why a bundle is missing, if it is
#   host_failure  set when an earlier step failed (unreachable host, no work directory): the host
#              is not contacted and a placeholder bundle records why
#   fail_when_missing  fail the task after writing a placeholder (default: false, only a warning)
#   redact     whether redaction was asked for: a bundle whose manifest says otherwise gets a warning
#
# Whatever happens, dest ends up holding a bundle: the host's own, or a placeholder whose
# manifest.json says why every evidence file is missing, so `xenready check` reports the host with
# `unknown` findings instead of leaving it out of the fleet. A bundle whose evidence did not change
# since the last run is left alone (changed=false): volatile manifest fields (times) are ignored.

from __future__ import annotations

import base64
import binascii
import datetime
import gzip
import hashlib
import io
import json
import os
import re
import shlex
import tarfile
import tempfile
import zlib

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

MAX_BUNDLE_BYTES = 256 * 1024 * 1024  # the same cap as xenready's bundle reader
MAX_BUNDLE_FILES = 10000

# Evidence files a placeholder explains (docs/dump-format.md); names with {disk}-style parts cannot be listed.
EVIDENCE_NAMES = [
    'uname.txt', 'cpuctl-identify.txt', 'dmesg.boot', 'dmesg.txt', 'mount.txt', 'ls-paths.txt',
    'pkg_info.txt', 'sysctl.txt', 'xm-info.txt', 'xl-info.txt', 'xl-dmesg.txt', 'proc-cpuinfo.txt',
    'lspci.txt', 'files/etc/fstab', 'files/etc/rc.conf', 'files/boot.cfg', 'files/grub/menu.lst',
    'files/boot/grub/menu.lst',
]

VOLATILE_MANIFEST_KEYS = ('created',)
VOLATILE_ENTRY_KEYS = ('durationMs',)

ENCODER = r'''
f={src}
if [ ! -f "$f" ]; then echo 'xenready-bundle: missing'; exit 0; fi
printf 'xenready-bundle: %s\n' "$(wc -c < "$f" | tr -d ' ')"
enc={encoding}
if [ "$enc" = auto ]; then
  if command -v base64 >/dev/null 2>&1; then enc=base64
  elif command -v uuencode >/dev/null 2>&1; then enc=uuencode
  else enc=od; fi
fi
echo "encoding: $enc"
case $enc in
  base64) base64 < "$f" ;;
  uuencode) uuencode -m bundle < "$f" ;;
  od) od -v -t x1 < "$f" ;;
esac
'''


class BundleError(Exception):
    pass


def decode(text):
    """Decodes the ENCODER's output: (bytes, encoding), or None when the remote file was missing."""
    lines = text.replace('\r', '').split('\n')
    while lines and not lines[0].startswith('xenready-bundle: '):
        lines.pop(0)  # a login banner or shell noise before our first line
    if not lines:
        raise BundleError('the host printed no bundle header (is /bin/sh a POSIX shell?)')
    size = lines[0][len('xenready-bundle: '):].strip()
    if size == 'missing':
        return None
    if len(lines) < 2 or not lines[1].startswith('encoding: '):
        raise BundleError('the host printed no encoding line')
    encoding = lines[1][len('encoding: '):].strip()
    body = lines[2:]
    try:
        if encoding == 'base64':
            data = base64.b64decode(''.join(body), validate=True)
        elif encoding == 'uuencode':
            if not body or not body[0].startswith('begin-base64 '):
                raise BundleError('uuencode -m output has no begin-base64 line')
            end = body.index('====') if '====' in body else len(body)
            data = base64.b64decode(''.join(body[1:end]), validate=True)
        elif encoding == 'od':
            # `od -v -t x1`: an offset, then up to 16 hex bytes, per line (-A n is not in every od,
            # NetBSD's among them, so the offsets are there and dropped here).
            data = bytes.fromhex(''.join(''.join(line.split()[1:]) for line in body))
        else:
            raise BundleError('unknown encoding %r' % encoding)
    except (binascii.Error, ValueError) as e:
        raise BundleError('the %s stream is corrupt: %s' % (encoding, e))
    if not size.isdigit() or int(size) != len(data):
        raise BundleError('the host said the bundle has %s bytes, %d arrived' % (size, len(data)))
    return data, encoding


def check_gzip_complete(data):
    """A truncated gzip can still yield its first tar members: insist on the end of the stream (and
    its CRC), inflating in slices and counting, so a gzip bomb stops at the cap."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    total, pending = 0, data
    try:
        while not d.eof:
            out = d.decompress(pending, 1 << 20)
            total += len(out)
            if total > MAX_BUNDLE_BYTES + (1 << 20):
                raise BundleError('more than %d bytes uncompressed' % MAX_BUNDLE_BYTES)
            pending = d.unconsumed_tail
            if not out and not pending:
                break
    except zlib.error as e:
        raise BundleError('not a complete gzip file: %s' % e)
    if not d.eof:
        raise BundleError('not a complete gzip file: the stream is truncated')


def read_members(data):
    """The files of a bundle {name: bytes}, after checking it is a complete, plain gzip tar.

    Streamed member by member with a running total, so a gzip bomb stops at the cap."""
    check_gzip_complete(data)
    members = {}
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode='r|gz') as tar:
            for i, m in enumerate(tar):
                if i >= MAX_BUNDLE_FILES:
                    raise BundleError('more than %d entries' % MAX_BUNDLE_FILES)
                if m.name.startswith('/') or '..' in m.name.split('/'):
                    raise BundleError('entry %s has an unsafe path' % m.name)
                if m.isdir():
                    continue
                if not m.isfile():
                    raise BundleError('entry %s is not a regular file' % m.name)
                total += m.size
                if total > MAX_BUNDLE_BYTES:
                    raise BundleError('more than %d bytes uncompressed' % MAX_BUNDLE_BYTES)
                members[m.name] = tar.extractfile(m).read()
    except (tarfile.TarError, OSError, EOFError, zlib.error) as e:
        raise BundleError('not a complete gzip-compressed tar archive: %s' % e)
    if not members:
        raise BundleError('the archive is empty')
    return members


def evidence_digests(members):
    """{name without the top directory: sha256} of every file, the manifest without its times."""
    digests = {}
    for name in sorted(members):
        content = members[name]
        if name.rsplit('/', 1)[-1] == 'manifest.json':
            try:
                manifest = json.loads(content)
                for key in VOLATILE_MANIFEST_KEYS:
                    manifest.pop(key, None)
                for entry in manifest.get('entries', []):
                    if isinstance(entry, dict):
                        for key in VOLATILE_ENTRY_KEYS:
                            entry.pop(key, None)
                content = json.dumps(manifest, sort_keys=True).encode()
            except (ValueError, AttributeError, TypeError):
                pass
        # Names are compared without the top directory: it may be named after a temp file.
        digests[name.split('/', 1)[-1]] = hashlib.sha256(content).hexdigest()
    return digests


def evidence_fingerprint(members):
    """What stays the same when a host's evidence does: every file, the manifest without its times."""
    digest = hashlib.sha256()
    for name, value in sorted(evidence_digests(members).items()):
        digest.update(name.encode() + b'\0' + value.encode())
    return digest.hexdigest()


def changed_files(old, new):
    """The evidence files that differ between two digests maps (added, removed or changed)."""
    return sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name))


def manifest_redacted(members):
    """What the bundle's manifest says about redaction: True, False, or None (no manifest)."""
    for name, content in members.items():
        if name.rsplit('/', 1)[-1] == 'manifest.json':
            try:
                redaction = json.loads(content).get('redaction') or {}
                return bool(redaction.get('enabled'))
            except (ValueError, AttributeError):
                return None
    return None


def placeholder(host, top, reason, now=None):
    """A bundle holding only a manifest that says why each evidence file is missing."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    manifest = {
        'schemaVersion': 1,
        'tool': 'xenready-ansible',
        'toolVersion': '1',
        'created': now.strftime('%Y-%m-%dT%H:%M:%S.000Z'),
        'host': host,
        'collectionError': reason,
        'entries': [
            {'name': name, 'exitCode': None, 'signal': None, 'durationMs': 0, 'timedOut': False,
             'error': 'not collected: %s' % reason}
            for name in EVIDENCE_NAMES
        ],
    }
    content = (json.dumps(manifest, indent=2) + '\n').encode()
    buf = io.BytesIO()
    # mtime 0 and a fixed gzip header: the same reason gives the same bytes.
    with gzip.GzipFile(fileobj=buf, mode='wb', mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode='w', format=tarfile.USTAR_FORMAT) as tar:
            d = tarfile.TarInfo(top)
            d.type, d.mode = tarfile.DIRTYPE, 0o755
            tar.addfile(d)
            info = tarfile.TarInfo('%s/manifest.json' % top)
            info.size, info.mode = len(content), 0o644
            tar.addfile(info, io.BytesIO(content))
    return buf.getvalue()


def collector_reason(result):
    """Why the collector left no bundle, from its registered task result."""
    if not isinstance(result, dict) or not result:
        return 'the collector did not run'
    if result.get('skipped'):
        return 'the collector did not run (skipped)'
    if result.get('unreachable'):
        return 'host unreachable: %s' % (result.get('msg') or '').strip()
    rc = result.get('rc')
    stderr = to_text(result.get('stderr') or result.get('msg') or '').strip().splitlines()
    head = stderr[-1] if stderr else 'no error output'
    if rc is None:
        return 'the collector did not finish: %s' % head
    return 'the collector exited with status %s and wrote no bundle: %s' % (rc, head)


def write_atomically(path, data):
    directory = os.path.dirname(path) or '.'
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), suffix='.tmp', dir=directory)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)  # evidence describes the host; redaction may be off
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _VALID_ARGS = frozenset(('src', 'dest', 'transfer', 'encoding', 'collector', 'host_failure', 'fail_when_missing', 'top', 'redact'))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self._task.args
        src, dest = args.get('src'), args.get('dest')
        if not dest:
            raise AnsibleError('xenready_bundle: dest is required')
        dest = os.path.abspath(os.path.expanduser(to_text(dest)))
        transfer = args.get('transfer') or 'stdout'
        encoding = args.get('encoding') or 'auto'
        if transfer not in ('stdout', 'file'):
            raise AnsibleError('xenready_bundle: transfer must be stdout or file, not %r' % transfer)
        if encoding not in ('auto', 'base64', 'uuencode', 'od'):
            raise AnsibleError('xenready_bundle: encoding must be auto, base64, uuencode or od')
        host = (task_vars or {}).get('inventory_hostname', 'host')
        top = args.get('top') or re.sub(r'[^A-Za-z0-9._-]', '_', host)

        reason = to_text(args.get('host_failure') or '').strip()
        data = members = None
        if not reason:
            try:
                if not src:
                    raise BundleError('no remote bundle path')
                pulled = self._pull(to_text(src), transfer, encoding)
                if pulled is None:
                    reason = collector_reason(args.get('collector'))
                else:
                    data, result['encoding'] = pulled
                    members = read_members(data)
            except BundleError as e:
                reason = 'the bundle could not be brought back: %s' % e
                data = None
            except AnsibleError as e:  # a connection that failed half-way
                reason = 'the bundle could not be brought back: %s' % to_text(e).strip().splitlines()[0]
                data = None

        if data is None:
            data = placeholder(host, top, reason)
            members = read_members(data)
            result['placeholder'] = True
            result['reason'] = reason
            result.setdefault('warnings', []).append('%s: no bundle (%s); wrote a placeholder so the host is reported' % (host, reason))
        else:
            result['placeholder'] = False
            result['redacted'] = manifest_redacted(members)
            if _bool(args.get('redact')) and result['redacted'] is not True:
                result.setdefault('warnings', []).append(
                    '%s: redaction was asked for (xenready_redact) but the bundle is not redacted (an older '
                    'collector, or -R in xenready_collector_args?); keep it private, or redact a copy with '
                    'xenready bundle redact' % host)

        new_digests = evidence_digests(members)
        old_digests = None
        if os.path.isfile(dest):
            try:
                with open(dest, 'rb') as f:
                    old_digests = evidence_digests(read_members(f.read()))
            except (OSError, BundleError):
                old_digests = None
        result.update(dest=dest, bytes=len(data), sha256=hashlib.sha256(data).hexdigest(), transfer=transfer)
        # Which evidence changed since the last bundle (shown with -v): everything when there was none.
        result['evidence_changed'] = changed_files(old_digests or {}, new_digests) if old_digests != new_digests else []
        result['changed'] = old_digests != new_digests
        if result['changed'] and not self._play_context.check_mode:
            write_atomically(dest, data)
        if result['placeholder'] and _bool(args.get('fail_when_missing')):
            result['failed'] = True
            result['msg'] = 'no bundle from %s: %s (a placeholder was written to %s)' % (host, reason, dest)
        return result

    def _pull(self, src, transfer, encoding):
        if transfer == 'file':
            return self._pull_file(src)
        cmd = ENCODER.format(src=shlex.quote(src), encoding=shlex.quote(encoding)).strip()
        r = self._low_level_execute_command(cmd, sudoable=True)
        if r.get('rc') != 0:
            raise BundleError('the encoding command exited with status %s: %s' % (r.get('rc'), to_text(r.get('stderr')).strip()))
        return decode(to_text(r.get('stdout', '')))

    def _pull_file(self, src):
        probe = self._low_level_execute_command('[ -f %s ] && echo present || echo missing' % shlex.quote(src), sudoable=True)
        if to_text(probe.get('stdout', '')).strip().splitlines()[-1:] != ['present']:
            return None
        if self._play_context.become:
            # The transfer reads as the login user, the collector wrote as root: hand the file over.
            who = to_text(self._low_level_execute_command('id -un', sudoable=False).get('stdout', '')).strip()
            q = shlex.quote(src)
            self._low_level_execute_command('chown %s "$(dirname %s)" %s' % (shlex.quote(who), q, q), sudoable=True)
        fd, local = tempfile.mkstemp(prefix='.xenready-fetch.', suffix='.tar.gz')
        os.close(fd)
        try:
            self._connection.fetch_file(src, local)
            with open(local, 'rb') as f:
                return f.read(), 'file'
        finally:
            os.unlink(local)


def _bool(value):
    return to_text(value).strip().lower() in ('1', 'true', 'yes', 'on')
