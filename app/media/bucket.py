"""The S3 bucket itself: make it when it is missing, and say in one line why the object
store cannot be used (no answer, no bucket, credentials refused), for operators' commands."""

from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from app.media.file_store import StoreUnavailable
from app.media.s3 import error_code

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
#: AWS's only region where a bucket is made without a location constraint.
DEFAULT_REGION = "us-east-1"


class StoreProblem(RuntimeError):
    """The object store cannot be used; the message says why in one line."""


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


def ensure_bucket(client, bucket: str) -> bool:
    """Make the bucket unless it exists; whether it was made. StoreProblem when the store
    does not answer or refuses."""
    try:
        try:
            client.head_bucket(Bucket=bucket)
            return False
        except ClientError as error:
            if error_code(error) not in MISSING_BUCKET_CODES:
                raise
        arguments = {"Bucket": bucket}
        region = client.meta.region_name
        if region and region != DEFAULT_REGION:
            arguments["CreateBucketConfiguration"] = {"LocationConstraint": region}
        try:
            client.create_bucket(**arguments)
        except ClientError as error:
            # Made meanwhile by another operator or server: it exists, which was the point.
            if error_code(error) == "BucketAlreadyOwnedByYou":
                return False
            raise
        return True
    except (BotoCoreError, ClientError) as error:
        raise StoreProblem(explain(error, client, bucket)) from error
