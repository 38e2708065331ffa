#!/usr/bin/python3
# A SAML IdP built with pysaml2 (Debian's python3-pysaml2, signing with xmlsec1), driven one
# request at a time by the interop tests: JSON in on stdin, JSON out on stdout. With --lines it
# stays up and answers each line of JSON with one line (an error as {"error": "..."}), so the
# tests pay for Python and pysaml2's import once.
#   {"action": "metadata", ...}  -> {"metadata": "<EntityDescriptor ...>"} (SSO by HTTP-POST only)
#   {"action": "respond", "samlRequest", "binding", "identity", "nameId", "sha1", ...}
#                                -> {"acsUrl", "SAMLResponse", "requestId", "requestBinding"}
import base64
import json
import sys

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA1, DIGEST_SHA256, SIG_RSA_SHA1, SIG_RSA_SHA256


def config(args):
    cnf = {
        "entityid": args["entityId"],
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "key_file": args["keyFile"],
        "cert_file": args["certFile"],
        "service": {
            "idp": {
                "endpoints": {
                    # Only HTTP-POST: an SP must post its AuthnRequest (SAML bindings §3.5).
                    "single_sign_on_service": [(args["ssoUrl"], BINDING_HTTP_POST)],
                },
                # Attribute names by OID with FriendlyName, as Shibboleth and eduGAIN IdPs send them.
                "policy": {"default": {"name_form": NAME_FORMAT_URI, "lifetime": {"minutes": 5}}},
                "name_id_format": [NAMEID_FORMAT_TRANSIENT, NAMEID_FORMAT_EMAILADDRESS],
            }
        },
        "metadata": {"inline": [args["spMetadata"]]} if args.get("spMetadata") else {},
    }
    c = IdPConfig()
    c.load(cnf)
    return c


def answer(args):
    c = config(args)
    if args["action"] == "metadata":
        return {"metadata": str(entity_descriptor(c))}
    server = Server(config=c)
    binding = BINDING_HTTP_POST if args["binding"] == "post" else BINDING_HTTP_REDIRECT
    request = server.parse_authn_request(args["samlRequest"], binding)
    message = request.message
    sp_entity_id = message.issuer.text
    acs_url = message.assertion_consumer_service_url
    name_id = NameID(
        format=NAMEID_FORMAT_TRANSIENT if args.get("nameIdFormat", "transient") == "transient" else NAMEID_FORMAT_EMAILADDRESS,
        text=args["nameId"],
    )
    sha1 = bool(args.get("sha1"))
    response = server.create_authn_response(
        identity=args["identity"],
        in_response_to=message.id,
        destination=acs_url,
        sp_entity_id=sp_entity_id,
        name_id=name_id,
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
        sign_response=True,
        sign_assertion=True,
        sign_alg=SIG_RSA_SHA1 if sha1 else SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA1 if sha1 else DIGEST_SHA256,
    )
    return {
        "acsUrl": acs_url,
        "SAMLResponse": base64.b64encode(str(response).encode("utf-8")).decode("ascii"),
        "requestId": message.id,
        "requestBinding": args["binding"],
    }


def main():
    if sys.argv[1:] != ["--lines"]:
        print(json.dumps(answer(json.load(sys.stdin))))
        return
    for line in sys.stdin:
        try:
            out = answer(json.loads(line))
        except Exception as e:  # the test shows it; the next request still gets an answer
            out = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
