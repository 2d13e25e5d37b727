"""Where song files, covers and staged uploads are kept."""

import os

from app.settings.environment import BASE_DIR, env_bool, env_int

#: Where files are kept: this machine's UPLOAD_FOLDER, or an S3-compatible bucket.
STORAGE_BACKENDS = ("local", "s3")


def file_storage_settings() -> dict[str, object]:
    """UPLOAD_FOLDER on this machine, or an S3-compatible bucket every app server shares."""
    backend = os.environ.get("STORAGE_BACKEND", "local").lower()
    if backend not in STORAGE_BACKENDS:
        raise ValueError(f"STORAGE_BACKEND must be one of {', '.join(STORAGE_BACKENDS)}.")
    bucket = os.environ.get("S3_BUCKET", "")
    if backend == "s3" and not bucket:
        raise ValueError("STORAGE_BACKEND=s3 needs S3_BUCKET, the bucket to keep files in.")
    prefix = os.environ.get("S3_PREFIX", "").strip("/")
    return {
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "uploads")),
        "STORAGE_BACKEND": backend,
        "S3_BUCKET": bucket,
        "S3_PREFIX": f"{prefix}/" if prefix else "",
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL") or None,
        "S3_REGION": os.environ.get("S3_REGION") or None,
        "S3_CONNECT_TIMEOUT": env_int("S3_CONNECT_TIMEOUT", 5),
        "S3_PRESIGNED_REDIRECT": env_bool("S3_PRESIGNED_REDIRECT", False),
        "S3_PRESIGNED_SECONDS": env_int("S3_PRESIGNED_SECONDS", 300),
        "CATALOG_REQUIRE_SHARED_STORAGE": env_bool("CATALOG_REQUIRE_SHARED_STORAGE", False),
    }


def refuse_private_files(require_shared: bool, backend: str) -> None:
    """Raise when files must be shared by every app server but stay on this machine's disk."""
    if require_shared and backend == "local":
        raise RuntimeError(
            "CATALOG_REQUIRE_SHARED_STORAGE is set, so files must be kept where every app "
            "server finds them: set STORAGE_BACKEND=s3 and S3_BUCKET (UPLOAD_FOLDER is "
            "this machine's disk)."
        )
