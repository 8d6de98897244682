"""The coordinators' dashboard (``/admin/``) and logging out. Mounted on the admin router: every route
here runs only for a signed-in admin (``server.pages.deps.require_admin``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from server import admins, dashboard, web
from server.database import write_session
from server.pages.deps import CsrfKey, CurrentAdmin, EngineDep, SettingsDep, admin_form, admin_token, to_login

router = APIRouter()


@router.get("/")
def overview(request: Request, who: CurrentAdmin, engine: EngineDep, settings: SettingsDep,
             secret: CsrfKey) -> Response:
    with Session(engine) as session:
        data = dashboard.overview(session=session)
    return web.render(
        request, "dashboard.html", who=who, data=data, ago=dashboard.ago, now=data.generated_at,
        burst_more_than=dashboard.BURST_MORE_THAN, burst_window_s=dashboard.BURST_WINDOW_S,
        logout_csrf=admin_token(secret, who, "logout"), device_csrf=admin_token(secret, who, "add-device"),
        code_ttl_hours=settings.code_ttl_hours, public_url=settings.public_url,
    )


@router.post("/logout")
async def logout(request: Request, who: CurrentAdmin, engine: EngineDep, secret: CsrfKey) -> Response:
    form = await admin_form(request, secret, who, "logout",
                            "The form's security token is missing or expired: reload the page.")
    if not isinstance(form, dict):
        return form
    with write_session(engine) as session:
        admins.logout(request.cookies.get(web.SESSION_COOKIE, ""), session=session)
        session.commit()
    answer = to_login(request)
    answer.delete_cookie(web.SESSION_COOKIE, path="/admin", httponly=True, samesite="strict",
                         secure=web.is_https(request))
    return answer
