import jwt

from credentials import selectors


def pyjwt_decode(token):
    """Verify with PyJWT (an independent JOSE implementation) against the published keys."""
    header = jwt.get_unverified_header(token)
    methods = {m["id"]: m for m in selectors.did_document()["verificationMethod"]}
    key = jwt.PyJWK(methods[header["kid"]]["publicKeyJwk"], algorithm="EdDSA")
    return jwt.decode(token, key=key.key, algorithms=["EdDSA"])


def tamper(token, part=1, position=10):
    """The token with one byte of one part changed (still base64url)."""
    parts = token.split(".")
    text = parts[part]
    swapped = "A" if text[position] != "A" else "B"
    parts[part] = text[:position] + swapped + text[position + 1 :]
    return ".".join(parts)
