"""The Jobs page, for admins: jobs counted by state, the failed ones with their reason and
a Retry button, and each worker's last heartbeat."""

from datetime import UTC, datetime

from flask import current_app, flash, redirect, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _

from app.extensions import db
from app.jobs.queueing import requeue
from app.jobs.status import failed_jobs, heartbeats, state_counts
from app.models.jobs import DONE, FAILED, QUEUED, RUNNING, UNSENT, WAITING, Job
from app.web.pages import local_datetime

#: The states as the page names them, in the order it shows them.
STATE_LABELS = {
    QUEUED: _("Queued"),
    UNSENT: _("Not sent yet"),
    RUNNING: _("Running"),
    FAILED: _("Failed"),
    DONE: _("Done"),
    WAITING: _("Waiting for ffmpeg"),
}
#: Heartbeats missed before a worker is shown as silent.
SILENT_AFTER_BEATS = 3


class JobsView(BaseView):
    """Counts, failures and workers; only roles given its permission (Admin) see it."""

    route_base = "/jobs"
    default_view = "index"
    class_permission_name = "JobsView"
    method_permission_name = {"index": "list", "retry": "edit"}

    @expose("/")
    @has_access
    def index(self):
        """The counts, the failed jobs and the workers."""
        cap = current_app.config["CATALOG_JOBS_COUNT_CAP"]
        counts = state_counts(db.session, cap)
        failed = [
            {
                "id": job.id,
                "kind": job.kind,
                "song_id": job.song_id,
                "reason": job.reason or "",
                "attempts": job.attempts,
                "when": local_datetime(job.finished_at),
            }
            for job in failed_jobs(db.session)
        ]
        return self.render_template(
            "setlist/jobs.html",
            title=_("Jobs"),
            counts=[(STATE_LABELS[state], counts[state]) for state in STATE_LABELS],
            cap=cap,
            failed=failed,
            workers=self.workers(),
            in_process=not current_app.config["CATALOG_JOBS_BROKER_URL"],
        )

    def workers(self) -> list[dict] | None:
        """Each worker's name, last heartbeat and whether it went silent; None when the
        broker does not answer."""
        import redis  # here: a ~60 ms import that only this page (and the workers) needs

        try:
            beats = heartbeats(current_app) or []
        except redis.RedisError:
            return None
        silent_after = SILENT_AFTER_BEATS * current_app.config["CATALOG_JOBS_HEARTBEAT_SECONDS"]
        now = datetime.now(UTC)
        return [
            {
                "name": beat.name,
                "seen": local_datetime(beat.seen),
                "silent": (now - beat.seen).total_seconds() > silent_after,
            }
            for beat in beats
        ]

    @expose("/retry/<int:job_id>", methods=["POST"])
    @has_access
    def retry(self, job_id: int):
        """Queue a failed job again (sent once this commits)."""
        job = db.session.get(Job, job_id)
        if job is None or job.state != FAILED:
            flash(gettext("That job is no longer failed."), "warning")
        else:
            requeue(db.session, [job])
            db.session.commit()
            flash(gettext("The job is queued again."), "info")
        return redirect(url_for(".index"))
