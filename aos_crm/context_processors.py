from aos_crm import roles


def role_flags(request):
    """Role flags for navigation only; every view still checks its permission on the server."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role": {}}
    return {
        "role": {
            "sales": user.has_perm(roles.PERM_SALES),
            "team": user.has_perm(roles.PERM_TEAM),
            "catalog": user.has_perm(roles.PERM_CATALOG),
            "unlock": user.has_perm(roles.PERM_UNLOCK),
            "admin": user.is_staff,
        }
    }
