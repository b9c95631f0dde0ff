"""Webhook signatures: HMAC-SHA256 over the timestamp and the exact bytes of the body."""

import hashlib
import hmac
import time

DELIVERY_HEADER = "X-Webhook-Delivery"
TIMESTAMP_HEADER = "X-Webhook-Timestamp"
SIGNATURE_HEADER = "X-Webhook-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    # Bytes, not text: the receiver verifies the raw body it read off the wire, so we sign the
    # very bytes we send, never a re-serialisation of the payload.
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signed_headers(secret: str, delivery_id: str, body: bytes) -> dict[str, str]:
    """Headers for one attempt. The timestamp is fresh per attempt so receivers can reject replays."""
    timestamp = int(time.time())
    return {
        "Content-Type": "application/json",
        DELIVERY_HEADER: delivery_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }
