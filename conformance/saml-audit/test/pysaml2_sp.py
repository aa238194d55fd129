# An independent SAML SP for the audit's contract test: pysaml2 (Debian python3-pysaml2, xmlsec1) on 127.0.0.1:0,
# strict settings (signed assertions, bounded skew, SP-initiated requests remembered, accepted assertion IDs kept).
import http.server
import json
import secrets
import sys
import tempfile
import urllib.parse

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS

IDP_METADATA, SP_KEY, SP_CERT, ENC_KEY, ENC_CERT = sys.argv[1:6]


def cert_body(path):
    with open(path) as f:
        return ''.join(line.strip() for line in f if 'CERTIFICATE' not in line)


class Sp:
    def __init__(self, base):
        self.base = base
        config = SPConfig()
        config.load({
            'entityid': f'{base}/metadata',
            'service': {'sp': {
                'endpoints': {'assertion_consumer_service': [(f'{base}/acs', BINDING_HTTP_POST)]},
                'allow_unsolicited': True,
                'want_assertions_signed': True,
                'want_response_signed': False,
                'authn_requests_signed': False,
                'name_id_format': NAMEID_FORMAT_EMAILADDRESS,
            }},
            'metadata': {'local': [IDP_METADATA]},
            'key_file': SP_KEY,
            'cert_file': SP_CERT,
            'encryption_keypairs': [{'key_file': ENC_KEY, 'cert_file': ENC_CERT}],
            'xmlsec_binary': '/usr/bin/xmlsec1',
            'accepted_time_diff': 60,
            'allow_unknown_attributes': True,
        })
        self.client = Saml2Client(config)
        self.outstanding = {}
        self.seen_assertions = set()
        self.accounts = {}
        self.sessions = {}

    def metadata(self):
        return (
            '<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
            f'entityID="{self.base}/metadata"><md:SPSSODescriptor WantAssertionsSigned="true" '
            'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
            '<md:KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
            f'<ds:X509Data><ds:X509Certificate>{cert_body(ENC_CERT)}</ds:X509Certificate></ds:X509Data>'
            '</ds:KeyInfo></md:KeyDescriptor>'
            f'<md:AssertionConsumerService Binding="{BINDING_HTTP_POST}" Location="{self.base}/acs" index="0"/>'
            '</md:SPSSODescriptor></md:EntityDescriptor>'
        )

    def login(self):
        request_id, info = self.client.prepare_for_authenticate(binding=BINDING_HTTP_REDIRECT)
        self.outstanding[request_id] = '/'
        return dict(info['headers'])['Location']

    def acs(self, saml_response):
        response = self.client.parse_authn_request_response(saml_response, BINDING_HTTP_POST, self.outstanding)
        if response is None:
            raise ValueError('no response')
        assertion_id = response.assertion.id
        # profiles 4.1.4.5: a bearer assertion is accepted once (pysaml2 leaves this to the application)
        if assertion_id in self.seen_assertions:
            raise ValueError('assertion replayed')
        self.seen_assertions.add(assertion_id)
        if response.in_response_to is not None:
            self.outstanding.pop(response.in_response_to, None)
        email = response.name_id.text
        account = self.accounts.setdefault(email, f'acct-{len(self.accounts) + 1}')
        session = secrets.token_hex(16)
        self.sessions[session] = {'id': account, 'email': email}
        return session


class Handler(http.server.BaseHTTPRequestHandler):
    sp = None

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = urllib.parse.urlparse(self.path).path
        if path == '/metadata':
            return self.reply(200, self.sp.metadata(), [('Content-Type', 'application/samlmetadata+xml')])
        if path == '/login':
            return self.reply(303, '', [('Location', self.sp.login())])
        if path == '/home':
            cookie = self.headers.get('Cookie', '')
            session = self.sp.sessions.get(cookie.partition('sp_session=')[2].split(';')[0])
            if session is None:
                return self.reply(401, {'error': {'code': 'not_signed_in'}}, [('Content-Type', 'application/json')])
            return self.reply(200, {'landing': 'home', 'account': session}, [('Content-Type', 'application/json')])
        return self.reply(404, {'error': {'code': 'not_found'}}, [('Content-Type', 'application/json')])

    def do_POST(self):
        length = int(self.headers.get('Content-Length', '0'))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        try:
            session = self.sp.acs(form.get('SAMLResponse', [''])[0])
        except Exception as error:  # every refusal: one JSON shape, the exception class as the code
            code = ''.join('_' + c.lower() if c.isupper() else c for c in type(error).__name__).lstrip('_')
            return self.reply(401, {'error': {'code': code, 'message': str(error)[:300]}}, [('Content-Type', 'application/json')])
        return self.reply(303, '', [('Location', '/home'), ('Set-Cookie', f'sp_session={session}; HttpOnly; Path=/')])


server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
base = f'http://127.0.0.1:{server.server_address[1]}'
Handler.sp = Sp(base)
print(json.dumps({'baseUrl': base}), flush=True)
server.serve_forever()
