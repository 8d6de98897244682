"""Adding a device from the dashboard: a one-time enrollment code shown once, with its QR code.
Mounted on the admin router: runs only for a signed-in admin (``server.pages.deps.require_admin``)."""

from __future__ import annotations

import logging
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from db.wire import enrollment_uri, format_code
from server import devices, web
from server.database import write_session
from server.pages.deps import CsrfKey, CurrentAdmin, EngineDep, SettingsDep, admin_form, admin_token

log = logging.getLogger("petition_server.web")

router = APIRouter()


@router.post("/devices")
async def add_device(request: Request, who: CurrentAdmin, engine: EngineDep, settings: SettingsDep,
                     secret: CsrfKey) -> Response:
    form = await admin_form(request, secret, who, "add-device", "The form's security token is missing or "
                            "expired: reload the dashboard and add the device again.")
    if not isinstance(form, dict):
        return form
    with write_session(engine) as session:
        try:
            new = devices.add_device(form.get("name", ""), session=session,
                                     ttl=timedelta(hours=settings.code_ttl_hours))
        except ValueError as exc:
            return web.error_page(request, 400, "Not added", f"{str(exc).capitalize()}.")
        session.commit()
    log.info("device %s added from the dashboard by admin %r", new.device_id, who.name)
    server_url = settings.public_url or str(request.base_url).rstrip("/")
    text = enrollment_uri(server_url, new.code)
    return web.render(request, "new_device.html", who=who, device=new, code=format_code(new.code), uri=text,
                      qr=web.qr_data_uri(text), server_url=server_url, guessed_url=settings.public_url is None,
                      logout_csrf=admin_token(secret, who, "logout"))
