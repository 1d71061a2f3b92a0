from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from folkmoot.composer.models import Attachment, Draft
from folkmoot.composer.services import save_draft, upload_image
from folkmoot.composer.tasks import composer_housekeeping, schedule_housekeeping
from tests.images import image_bytes


def test_workers_queue_one_housekeeping_run_however_many_start(db):
    schedule_housekeeping()
    schedule_housekeeping()
    assert DBTaskResult.objects.filter(task_path__endswith="composer_housekeeping").count() == 1


def test_housekeeping_removes_stale_drafts_and_unused_uploads_then_queues_itself(db, member):
    save_draft(author=member, key="topic-1", body="old words", seq=0)
    upload_image(owner=member, uploaded_file=SimpleUploadedFile("x.png", image_bytes()))
    Draft.objects.update(updated_at=timezone.now() - timedelta(days=31))
    Attachment.objects.update(created_at=timezone.now() - timedelta(days=2))

    assert composer_housekeeping.call() == {"drafts": 1, "attachments": 1, "expired_limits": 0}

    [next_run] = DBTaskResult.objects.filter(task_path__endswith="composer_housekeeping")
    assert timedelta(minutes=59) < next_run.run_after - timezone.now() <= timedelta(hours=1)
