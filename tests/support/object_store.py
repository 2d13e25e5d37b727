"""A real S3-compatible server (SeaweedFS) on loopback, and a bucket's objects as a plain S3
client reads them."""

import json
import secrets
import subprocess
import time
from dataclasses import dataclass

import boto3

from tests.support.network import free_port


class SeaweedFS:
    """A SeaweedFS server (`weed server -s3`) on loopback ports in a temporary folder, with
    one bucket and one random access key: a real S3-compatible object store."""

    BUCKET = "setlist-test"

    def __init__(self, weed: str, folder) -> None:
        self.weed, self.folder = weed, folder
        self.access_key, self.secret_key = secrets.token_hex(10), secrets.token_hex(20)
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self) -> "SeaweedFS":
        identities = {
            "identities": [
                {
                    "name": "setlist",
                    "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        config = self.folder / "s3.json"
        config.write_text(json.dumps(identities))
        (self.folder / "data").mkdir()
        ports = {name: free_port() for name in ("master", "volume", "filer")}
        command = [self.weed, "server", f"-dir={self.folder / 'data'}", "-ip=127.0.0.1"]
        command += ["-ip.bind=127.0.0.1", "-master.volumeSizeLimitMB=64", "-volume.max=0"]
        for name, port in ports.items():
            command += [f"-{name}.port={port}", f"-{name}.port.grpc={free_port()}"]
        command += ["-s3", f"-s3.port={self.port}", f"-s3.port.grpc={free_port()}"]
        command += [f"-s3.config={config}", "-s3.port.iceberg=0", "-s3.port.lance=0"]
        command += ["-metricsPort=0"]
        self.log = (self.folder / "weed.log").open("wb")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_for_bucket()
        return self

    def client(self):
        """A boto3 S3 client with the server's key."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )

    def wait_for_bucket(self, timeout: float = 60) -> None:
        """Wait until the S3 gateway answers, then create the bucket."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited: see {self.folder / 'weed.log'}")
            try:
                self.client().create_bucket(Bucket=self.BUCKET)
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def environment(self) -> dict[str, str]:
        """boto3's standard variables for this server's key (how Setlist gets credentials)."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": "us-east-1",
        }

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@dataclass
class Bucket:
    """The objects under one prefix of a bucket, read with a plain S3 client."""

    client: object
    name: str
    prefix: str

    def listing(self) -> list[str]:
        """Every key under the prefix, relative to it, sorted."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=self.prefix
        )
        found = (item["Key"] for page in pages for item in page.get("Contents", ()))
        return sorted(key[len(self.prefix) :] for key in found)

    def read(self, key: str) -> bytes:
        """An object's bytes."""
        return self.client.get_object(Bucket=self.name, Key=self.prefix + key)["Body"].read()

    def put(self, key: str, data: bytes) -> None:
        """Write an object behind the app's back."""
        self.client.put_object(Bucket=self.name, Key=self.prefix + key, Body=data)
