import json
import mimetypes

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.static import serve

from folkmoot import client_address
from folkmoot.faults.refusals import refusal_json
from folkmoot.first_use import ModuleOnFirstUse
from folkmoot.refusal import Refusal

# Writing's services load with the first write: a worker that only shows pages never
# imports them (first_use.py).
services = ModuleOnFirstUse("folkmoot.composer.services")


def _signed_in_only(request):
    if not request.user.is_authenticated:
        return refusal_json(Refusal(_("Sign in to save drafts and upload images."), status=403))
    return None


# Draft.seq is a PositiveIntegerField.
DRAFT_SEQ_MAX = 2**31 - 1


class MalformedDraft(Exception):
    pass


def _draft_payload(raw: bytes) -> tuple[str, int]:
    """{"body": text, "seq": a whole number}, nothing looser: no numbers as text, no floats
    (1e999 is infinity), no nesting deep enough to exhaust the parser."""
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError):
        raise MalformedDraft from None
    if not isinstance(payload, dict):
        raise MalformedDraft
    body, seq = payload.get("body"), payload.get("seq")
    if not isinstance(body, str) or type(seq) is not int or not 0 <= seq <= DRAFT_SEQ_MAX:
        raise MalformedDraft
    return body, seq


@require_http_methods(["GET", "PUT", "DELETE"])
def draft(request, place: str):
    if refusal := _signed_in_only(request):
        return refusal
    try:
        if request.method == "GET":
            saved = services.get_draft(author=request.user, key=place)
            if saved is None or not saved.body:
                return refusal_json(Refusal(_("No draft."), status=404))
            return JsonResponse({"body": saved.body, "seq": saved.seq})
        if request.method == "DELETE":
            services.delete_draft(author=request.user, key=place)
            return HttpResponse(status=204)
        try:
            body, seq = _draft_payload(request.body)
        except MalformedDraft:
            return refusal_json(Refusal(_("Send JSON with body (text) and seq (a whole number).")))
        saved = services.save_draft(author=request.user, key=place, body=body, seq=seq)
    except Refusal as refusal:
        return refusal_json(refusal)
    return JsonResponse({"seq": saved.seq})


@require_POST
def upload(request):
    if refusal := _signed_in_only(request):
        return refusal
    try:
        if "file" in request.FILES:
            attachment = services.upload_image(
                owner=request.user,
                uploaded_file=request.FILES["file"],
                ip_address=client_address.of_request(request),
            )
        elif request.POST.get("url"):
            attachment = services.upload_image_from_url(
                owner=request.user,
                url=request.POST["url"].strip(),
                ip_address=client_address.of_request(request),
            )
        else:
            return refusal_json(Refusal(_("Choose an image file or give its URL.")))
    except Refusal as refusal:
        return refusal_json(refusal)
    return JsonResponse(
        {
            "id": attachment.pk,
            "url": attachment.file.url,
            "width": attachment.width,
            "height": attachment.height,
        },
        status=201,
    )


@require_safe
def serve_upload(request, path: str):
    """Uploaded files, from the local disk or the storage (S3) that holds them; a proxy or
    CDN in front may serve and cache them instead. Files were re-encoded on upload, so they
    are only ever the images they claim to be."""
    if isinstance(default_storage, FileSystemStorage):
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    else:
        response = _from_storage(path)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def _from_storage(path: str) -> FileResponse:
    """A stored file streamed to the reader; uploads never change once stored, so readers and
    proxies may keep them."""
    try:
        stored = default_storage.open(path)
    except (FileNotFoundError, SuspiciousFileOperation) as missing:
        raise Http404("No such upload") from missing
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(stored, content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
