"""Stored files in an S3-compatible bucket (AWS S3, SeaweedFS, MinIO, Ceph…), shared by
every app server. Credentials come from boto3's standard chain (environment, profile,
instance role), never from Setlist's settings."""

import functools
import logging
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import urlsplit

# Only botocore's exceptions here (a few ms): boto3 itself costs ~0.15 s of every start, and
# only an app with STORAGE_BACKEND=s3 makes a client (make_client, transfer_config import it).
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from app.media.file_store import (
    COPY_CHUNK_BYTES,
    FileStore,
    StoredFile,
    StoreUnavailable,
    checked_name,
    new_stored_name,
    spooled_copy,
)

log = logging.getLogger(__name__)

#: Uploads over this size go in parts, so a 200 MB file never sits in memory: parts in
#: flight plus parts read ahead, four parts of 8 MB at most (bench/upload_memory.py --s3 measures
#: 29 MiB of growth for 50, 200 or 400 MB files).
PART_BYTES = 8 * 1024 * 1024
MAX_PARTS_IN_FLIGHT = 2
MISSING_CODES = {"404", "NoSuchKey", "NotFound"}
#: Refusals that no request can mend, only an operator (a bucket missing, a key refused):
#: for users the store is as unavailable as when it is down.
SETUP_CODES = {"NoSuchBucket", "AccessDenied", "403", "InvalidAccessKeyId", "SignatureDoesNotMatch"}


@functools.cache
def transfer_config():
    """How uploads and copies go: in parts of PART_BYTES, few of them in memory at once."""
    from boto3.s3.transfer import TransferConfig  # here: see the imports at the top

    transfer = TransferConfig(
        multipart_threshold=PART_BYTES,
        multipart_chunksize=PART_BYTES,
        max_concurrency=MAX_PARTS_IN_FLIGHT,
        io_chunksize=COPY_CHUNK_BYTES,
    )
    # boto3 reads up to 10 parts of a stream ahead by default (80 MB here); its constructor
    # does not take the setting, the transfer manager reads the attribute.
    transfer.max_in_memory_upload_chunks = MAX_PARTS_IN_FLIGHT
    return transfer


def make_client(endpoint_url: str | None, region: str | None, timeout: float):
    """An S3 client for the configured endpoint (None: AWS), with bounded waits."""
    import boto3  # here: see the imports at the top
    from botocore.config import Config as BotoConfig

    config = BotoConfig(
        connect_timeout=timeout,
        read_timeout=max(timeout, 30),
        retries={"max_attempts": 3, "mode": "standard"},
        signature_version="s3v4",
        # Path-style addressing works with every S3-compatible server (no wildcard DNS).
        s3={"addressing_style": "path"},
    )
    return boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region, config=config)


def unavailable_on_failure(method):
    """Turn a network failure or a server error into StoreUnavailable (a 503 for users)."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if status >= 500 or error_code(error) in SETUP_CODES:
                raise StoreUnavailable(f"object store: {error_code(error)}") from error
            raise
        except BotoCoreError as error:
            raise StoreUnavailable(f"object store: {type(error).__name__}") from error

    return guarded


def error_code(error: ClientError) -> str:
    """The S3 error code of a refused request ("NoSuchKey", "404", "AccessDenied"…)."""
    return str(error.response.get("Error", {}).get("Code", ""))


#: Answers meaning the bucket is not there (HEAD requests carry no body, hence "404").
MISSING_BUCKET_CODES = {"404", "NoSuchBucket"}
#: Answers meaning the key is unknown, wrong, expired or not allowed.
REFUSED_CODES = {
    "403",
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
    "InvalidClientTokenId",
}


def endpoint_name(client) -> str:
    """The store's host and port as an operator configured it (S3_ENDPOINT_URL), or AWS's."""
    url = client.meta.endpoint_url or ""
    return urlsplit(url).netloc or url or "AWS S3"


def explain(error: Exception, client, bucket: str) -> str:
    """One line saying why a request to the store failed, and what to do about it."""
    # StoreUnavailable wraps the network failure or server error it was raised from.
    cause = error.__cause__ if isinstance(error, StoreUnavailable) and error.__cause__ else error
    where = f"the object store at {endpoint_name(client)}"
    if isinstance(cause, NoCredentialsError):
        return (
            f"no credentials for {where}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "(or a profile or an instance role)"
        )
    if isinstance(cause, ClientError):
        code = error_code(cause)
        if code in MISSING_BUCKET_CODES:
            return (
                f"bucket '{bucket}' does not exist at {endpoint_name(client)} — "
                "create it with `flask catalog create-bucket`"
            )
        if code in REFUSED_CODES:
            return (
                f"{where} refused the credentials for bucket '{bucket}' ({code}): check "
                "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the key's rights on the bucket"
            )
        if code == "BucketAlreadyExists":
            return (
                f"the bucket name '{bucket}' belongs to another account: choose another S3_BUCKET"
            )
        return f"{where} answered with an error ({code or type(cause).__name__})"
    if isinstance(cause, BotoCoreError):
        return f"{where} did not answer ({type(cause).__name__})"
    return f"{where} failed ({type(cause).__name__}: {cause})"


class S3Store(FileStore):
    """Files under `prefix` + area in one bucket."""

    def __init__(self, client, bucket: str, prefix: str) -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def __repr__(self) -> str:
        return f"S3Store(s3://{self.bucket}/{self.prefix})"

    def key(self, stored_name: str) -> str:
        """The object key of a stored name (names never hold "/", so never leave the area)."""
        return self.prefix + checked_name(stored_name)

    def area(self, name: str) -> "S3Store":
        """Another area (covers, staged, quarantine) under this one."""
        return S3Store(self.client, self.bucket, f"{self.prefix}{name}/")

    @unavailable_on_failure
    def save(self, stream: BinaryIO, original_name: str) -> str:
        """Upload a stream (in parts when large) under a new name."""
        stream.seek(0)
        stored_name = new_stored_name(original_name)
        # A failed multipart upload is aborted by the transfer manager: nothing half-written.
        self.client.upload_fileobj(
            stream, self.bucket, self.key(stored_name), Config=transfer_config()
        )
        return stored_name

    @unavailable_on_failure
    def put(self, stream: BinaryIO, stored_name: str) -> None:
        """Upload a stream under this name: an object appears whole when its upload ends
        (a failed multipart upload is aborted), replacing any object of the name."""
        stream.seek(0)
        self.client.upload_fileobj(
            stream, self.bucket, self.key(stored_name), Config=transfer_config()
        )

    @unavailable_on_failure
    def describe(self, stored_name: str) -> StoredFile | None:
        """The object's size, time and ETag, from a HEAD request."""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(stored_name))
        except ClientError as error:
            if error_code(error) in MISSING_CODES:
                return None
            raise
        return StoredFile(stored_name, head["ContentLength"], head["LastModified"], head["ETag"])

    @unavailable_on_failure
    def read(self, stored_name: str, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """The bytes from start up to stop, fetched as one ranged GET, read in chunks."""
        arguments = {"Bucket": self.bucket, "Key": self.key(stored_name)}
        if start or stop is not None:
            arguments["Range"] = f"bytes={start}-{'' if stop is None else stop - 1}"
        try:
            body = self.client.get_object(**arguments)["Body"]
        except ClientError as error:
            if error_code(error) in MISSING_CODES:
                raise FileNotFoundError(stored_name) from error
            raise
        return self.chunks(body)

    @staticmethod
    def chunks(body) -> Iterator[bytes]:
        """A response body in bounded chunks, closed however the reading ends."""
        try:
            yield from body.iter_chunks(COPY_CHUNK_BYTES)
        except BotoCoreError as error:
            raise StoreUnavailable(f"object store: {type(error).__name__}") from error
        finally:
            body.close()

    def open(self, stored_name: str) -> BinaryIO:
        """A seekable temporary copy (audio tag readers seek)."""
        return spooled_copy(self.read(stored_name))

    @unavailable_on_failure
    def stored_files(self) -> list[StoredFile]:
        """The objects directly under the area's prefix (not those of the areas below)."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix, Delimiter="/"
        )
        found = []
        for page in pages:
            for item in page.get("Contents", ()):
                name = item["Key"][len(self.prefix) :]
                if name and not name.startswith("."):
                    found.append(StoredFile(name, item["Size"], item["LastModified"], item["ETag"]))
        return found

    @unavailable_on_failure
    def remove(self, stored_name: str) -> None:
        """Delete the object (deleting a missing one succeeds)."""
        self.client.delete_object(Bucket=self.bucket, Key=self.key(stored_name))

    @unavailable_on_failure
    def move_to(self, stored_name: str, target: "S3Store") -> str:
        """Copy into the other area, then delete the original (S3 has no rename)."""
        source = {"Bucket": self.bucket, "Key": self.key(stored_name)}
        self.client.copy(source, target.bucket, target.key(stored_name), Config=transfer_config())
        self.client.delete_object(**source)
        return f"s3://{target.bucket}/{target.key(stored_name)}"

    def is_reachable(self) -> bool:
        """Whether the bucket answers (a HEAD request)."""
        self.client.head_bucket(Bucket=self.bucket)
        return True

    def signed_url(
        self, stored_name: str, seconds: int, *, content_type: str, disposition: str, cache: str
    ) -> str:
        """A presigned GET of the object, its answer carrying these headers."""
        parameters = {
            "Bucket": self.bucket,
            "Key": self.key(stored_name),
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
            "ResponseCacheControl": cache,
        }
        return self.client.generate_presigned_url(
            "get_object", Params=parameters, ExpiresIn=seconds
        )

    def why_failed(self, error: Exception) -> str:
        """Why the bucket could not be used, and what to do about it, in one line."""
        return explain(error, self.client, self.bucket)
