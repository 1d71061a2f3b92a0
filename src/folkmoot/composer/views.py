import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.static import serve

from . import services
from .services import StaleDraft, UploadRefused

STALE_DRAFT_MESSAGE = "This draft was changed in another window. Reload to see the newer text."


def _signed_in_only(request):
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in to save drafts and upload images."}, status=403)
    return None


@require_http_methods(["GET", "PUT", "DELETE"])
def draft(request, place: str):
    if refusal := _signed_in_only(request):
        return refusal
    if request.method == "GET":
        saved = services.get_draft(author=request.user, key=place)
        if saved is None or not saved.body:
            return JsonResponse({"error": "No draft."}, status=404)
        return JsonResponse({"body": saved.body, "seq": saved.seq})
    if request.method == "DELETE":
        services.delete_draft(author=request.user, key=place)
        return HttpResponse(status=204)
    try:
        payload = json.loads(request.body)
        body, seq = str(payload["body"]), int(payload["seq"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "Send JSON with body and seq."}, status=400)
    try:
        saved = services.save_draft(author=request.user, key=place, body=body, seq=seq)
    except StaleDraft:
        return JsonResponse({"error": STALE_DRAFT_MESSAGE}, status=409)
    return JsonResponse({"seq": saved.seq})


@require_POST
def upload(request):
    if refusal := _signed_in_only(request):
        return refusal
    try:
        if "file" in request.FILES:
            attachment = services.upload_image(
                owner=request.user, uploaded_file=request.FILES["file"]
            )
        elif request.POST.get("url"):
            attachment = services.upload_image_from_url(
                owner=request.user, url=request.POST["url"].strip()
            )
        else:
            return JsonResponse({"error": "Choose an image file or give its URL."}, status=400)
    except UploadRefused as error:
        return JsonResponse({"error": str(error)}, status=error.status)
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
    """Uploaded files, from the local disk. A deployment at scale serves them from object
    storage or the front proxy instead. Files were re-encoded on upload, so they are only ever
    the images they claim to be."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
