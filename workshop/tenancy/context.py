def organization(request) -> dict:
    membership = getattr(request, "membership", None)
    return {
        "current_membership": membership,
        "current_organization": membership.organization if membership else None,
    }
