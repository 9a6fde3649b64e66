"""Unit tests of the pure parts of contrib/ansible/action_plugins/xenready_bundle.py.

Run by test/e2e/ansible-fleet.test.ts with the Python that runs ansible-playbook (the plugin imports
ansible), or by hand: python3 -m unittest test/e2e/ansible/test_xenready_bundle.py
"""

import base64
import gzip
import io
import json
import os
import random
import sys
import tarfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'contrib', 'ansible', 'action_plugins'))

import xenready_bundle as xb  # noqa: E402


def bundle(files, top='xen0', extra=None):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz') as tar:
        for name, content in files.items():
            info = tarfile.TarInfo('%s/%s' % (top, name))
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
        if extra:
            extra(tar)
    return buf.getvalue()


def manifest(created='2026-11-25T10:00:00Z', duration=0, **more):
    m = {'schemaVersion': 1, 'tool': 'xenready-collect.sh', 'created': created,
         'entries': [{'name': 'uname.txt', 'argv': ['uname', '-a'], 'exitCode': 0, 'durationMs': duration}]}
    m.update(more)
    return json.dumps(m).encode()


SAMPLE = bundle({'uname.txt': b'NetBSD xen0 10.0 NetBSD 10.0 (XEN3_DOM0) amd64\n', 'manifest.json': manifest()})


def wrap76(text):
    return '\n'.join(text[i:i + 76] for i in range(0, len(text), 76))


class DecodeTest(unittest.TestCase):
    def test_base64_round_trip(self):
        out = 'xenready-bundle: %d\nencoding: base64\n%s\n' % (len(SAMPLE), wrap76(base64.b64encode(SAMPLE).decode()))
        self.assertEqual(xb.decode(out), (SAMPLE, 'base64'))

    def test_uuencode_m_round_trip(self):
        body = wrap76(base64.b64encode(SAMPLE).decode())
        out = 'xenready-bundle: %d\nencoding: uuencode\nbegin-base64 600 bundle\n%s\n====\n' % (len(SAMPLE), body)
        self.assertEqual(xb.decode(out), (SAMPLE, 'uuencode'))

    def test_od_round_trip(self):
        # GNU od -v -t x1: `0000000 1f 8b ...`, a last line with the offset alone.
        gnu = '\n'.join('%07o %s' % (i, ' '.join('%02x' % b for b in SAMPLE[i:i + 16])) for i in range(0, len(SAMPLE), 16))
        gnu += '\n%07o\n' % len(SAMPLE)
        self.assertEqual(xb.decode('xenready-bundle: %d\nencoding: od\n%s' % (len(SAMPLE), gnu)), (SAMPLE, 'od'))
        # BSD od's hexdump formats: wider padding (`0000000   1f  8b ...`).
        bsd = '\n'.join('%07o  %s ' % (i, ''.join('  %02x ' % b for b in SAMPLE[i:i + 16])) for i in range(0, len(SAMPLE), 16))
        bsd += '\n%07o\n' % len(SAMPLE)
        self.assertEqual(xb.decode('xenready-bundle: %d\nencoding: od\n%s' % (len(SAMPLE), bsd)), (SAMPLE, 'od'))

    def test_login_noise_before_the_header_and_crlf(self):
        out = 'Welcome to NetBSD\r\n\r\nxenready-bundle: %d\r\nencoding: base64\r\n%s\r\n' % (len(SAMPLE), base64.b64encode(SAMPLE).decode())
        self.assertEqual(xb.decode(out)[0], SAMPLE)

    def test_missing_bundle(self):
        self.assertIsNone(xb.decode('xenready-bundle: missing\n'))

    def test_wrong_size_is_refused(self):
        out = 'xenready-bundle: %d\nencoding: base64\n%s\n' % (len(SAMPLE) + 1, base64.b64encode(SAMPLE).decode())
        with self.assertRaisesRegex(xb.BundleError, 'bytes'):
            xb.decode(out)

    def test_truncated_stream_is_refused(self):
        b64 = base64.b64encode(SAMPLE).decode()
        with self.assertRaises(xb.BundleError):
            xb.decode('xenready-bundle: %d\nencoding: base64\n%s\n' % (len(SAMPLE), b64[: len(b64) // 2]))

    def test_no_header_and_unknown_encoding(self):
        for text in ('', 'garbage\n', 'xenready-bundle: 3\n', 'xenready-bundle: 3\nencoding: rot13\nabc\n'):
            with self.assertRaises(xb.BundleError):
                xb.decode(text)

    def test_random_garbage_only_ever_raises_bundle_error(self):
        rng = random.Random(9)
        alphabet = 'xenrady-bundl: 0123456789\nencoding:base64uuod=+/ ABCabc\r\t'
        for _ in range(3000):
            n = rng.randrange(0, 200)
            text = ''.join(rng.choice(alphabet) for _ in range(n))
            if rng.random() < 0.5:
                text = 'xenready-bundle: %d\nencoding: %s\n%s' % (rng.randrange(0, 50), rng.choice(['base64', 'uuencode', 'od']), text)
            try:
                result = xb.decode(text)
            except xb.BundleError:
                continue
            self.assertTrue(result is None or isinstance(result[0], bytes))


class MembersTest(unittest.TestCase):
    def test_reads_files(self):
        members = xb.read_members(SAMPLE)
        self.assertEqual(sorted(members), ['xen0/manifest.json', 'xen0/uname.txt'])

    def test_refuses_truncated_corrupt_and_empty(self):
        for data in (SAMPLE[: len(SAMPLE) // 2], b'not gzip at all', b'', gzip.compress(b'not a tar' * 100), bundle({})):
            with self.assertRaises(xb.BundleError):
                xb.read_members(data)

    def test_refuses_links_and_unsafe_paths(self):
        def link(tar):
            info = tarfile.TarInfo('xen0/evil')
            info.type, info.linkname = tarfile.SYMTYPE, '/etc/passwd'
            tar.addfile(info)

        with self.assertRaisesRegex(xb.BundleError, 'not a regular file'):
            xb.read_members(bundle({'uname.txt': b'x'}, extra=link))
        with self.assertRaisesRegex(xb.BundleError, 'unsafe'):
            xb.read_members(bundle({'../escape': b'x'}))

    def test_gzip_bomb_stops_at_the_cap(self):
        old = xb.MAX_BUNDLE_BYTES
        xb.MAX_BUNDLE_BYTES = 1024 * 1024
        try:
            with self.assertRaisesRegex(xb.BundleError, 'uncompressed'):
                xb.read_members(bundle({'big.txt': b'\0' * (2 * 1024 * 1024)}))
        finally:
            xb.MAX_BUNDLE_BYTES = old


class FingerprintTest(unittest.TestCase):
    def fp(self, **kw):
        return xb.evidence_fingerprint(xb.read_members(bundle(**kw)))

    def test_times_do_not_count(self):
        a = self.fp(files={'uname.txt': b'x', 'manifest.json': manifest(created='2026-01-01T00:00:00Z', duration=5)})
        b = self.fp(files={'uname.txt': b'x', 'manifest.json': manifest(created='2026-02-02T00:00:00Z', duration=2000)}, top='other')
        self.assertEqual(a, b)

    def test_evidence_and_outcomes_count(self):
        base = self.fp(files={'uname.txt': b'x', 'manifest.json': manifest()})
        self.assertNotEqual(base, self.fp(files={'uname.txt': b'y', 'manifest.json': manifest()}))
        self.assertNotEqual(base, self.fp(files={'uname.txt': b'x', 'manifest.json': manifest(os='linux')}))
        self.assertNotEqual(base, self.fp(files={'uname.txt': b'x', 'mount.txt': b'', 'manifest.json': manifest()}))


class PlaceholderTest(unittest.TestCase):
    def test_is_a_valid_deterministic_bundle_explaining_every_file(self):
        a = xb.placeholder('xen-c', 'xen-c', 'host unreachable: refused')
        b = xb.placeholder('xen-c', 'xen-c', 'host unreachable: refused')
        members = xb.read_members(a)
        self.assertEqual(list(members), ['xen-c/manifest.json'])
        m = json.loads(members['xen-c/manifest.json'])
        self.assertEqual({e['name'] for e in m['entries']}, set(xb.EVIDENCE_NAMES))
        self.assertTrue(all(e['error'] == 'not collected: host unreachable: refused' for e in m['entries']))
        # Same reason, same evidence: a host that stays unreachable is not "changed" every night.
        self.assertEqual(xb.evidence_fingerprint(members), xb.evidence_fingerprint(xb.read_members(b)))

    def test_redaction_flag_is_read_from_the_manifest(self):
        self.assertIs(xb.manifest_redacted(xb.read_members(SAMPLE)), False)
        redacted = bundle({'manifest.json': manifest(redaction={'enabled': True, 'counts': {}})})
        self.assertIs(xb.manifest_redacted(xb.read_members(redacted)), True)
        self.assertIsNone(xb.manifest_redacted(xb.read_members(bundle({'uname.txt': b'x'}))))


class CollectorReasonTest(unittest.TestCase):
    def test_reasons(self):
        self.assertEqual(xb.collector_reason({}), 'the collector did not run')
        self.assertIn('skipped', xb.collector_reason({'skipped': True}))
        self.assertEqual(
            xb.collector_reason({'rc': 2, 'stderr': 'usage: sh xenready-collect.sh [-o FILE.tar.gz]\n'}),
            'the collector exited with status 2 and wrote no bundle: usage: sh xenready-collect.sh [-o FILE.tar.gz]')
        self.assertIn('did not finish', xb.collector_reason({'failed': True, 'msg': 'The task timed out'}))


if __name__ == '__main__':
    unittest.main()
