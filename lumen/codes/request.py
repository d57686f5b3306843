"""A code request as the job's argument: sealed with the app's Fernet keys.

Neither the RQ job hash nor a worker's log line (which prints the arguments) then holds the
address or the code in clear, while the job waits or runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from lumen.security import decrypt, encrypt


@dataclass(frozen=True)
class CodeRequest:
    """What the job needs: where to send, the code, its challenge and expiry (POSIX time)."""

    to: str = field(repr=False)
    code: str = field(repr=False)
    challenge: str = field(repr=False)
    expires: float = 0.0


def seal_request(request: CodeRequest) -> str:
    """The request as the job's argument: encrypted, so Redis never holds it in clear."""
    return encrypt(json.dumps({"to": request.to, "code": request.code,
                               "challenge": request.challenge, "expires": request.expires}))


def open_request(sealed: str) -> CodeRequest:
    """The request ``seal_request`` sealed."""
    data = json.loads(decrypt(sealed))
    return CodeRequest(str(data["to"]), str(data["code"]), str(data["challenge"]),
                       float(data["expires"]))
