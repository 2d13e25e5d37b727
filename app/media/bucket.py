"""The S3 bucket itself, made when it is missing (`flask catalog create-bucket`); why the
object store cannot be used is the store's to say (S3Store.why_failed, app/media/s3.py)."""

from botocore.exceptions import BotoCoreError, ClientError

from app.media.s3 import MISSING_BUCKET_CODES, error_code, explain

#: AWS's only region where a bucket is made without a location constraint.
DEFAULT_REGION = "us-east-1"


class StoreProblem(RuntimeError):
    """The object store cannot be used; the message says why in one line."""


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
