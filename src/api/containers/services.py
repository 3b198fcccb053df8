"""Use cases: each service built from the ports the other layers provide."""

from __future__ import annotations

from dependency_injector import containers, providers

from api.containers.auth import seconds
from api.resource import Catalogue, resource_services
from api.settings import Settings
from core.ports.clock import Clock, IdGenerator
from core.ports.passwords import PasswordHasher
from core.ports.tokens import RevocationList, TokenService
from core.ports.unit_of_work import UnitOfWorkFactory
from core.services.auth import AuthService
from core.services.items import ItemService
from core.services.logins import LoginService
from core.services.passwords import PasswordPolicy
from core.services.users import UserService


class ServicesContainer(containers.DeclarativeContainer):
    """The services views and commands call; a resource's service is registered here."""

    settings = providers.Dependency(instance_of=Settings)
    units: providers.Dependency[UnitOfWorkFactory] = providers.Dependency()
    clock: providers.Dependency[Clock] = providers.Dependency()
    ids: providers.Dependency[IdGenerator] = providers.Dependency()
    token_service: providers.Dependency[TokenService] = providers.Dependency()
    revocations: providers.Dependency[RevocationList] = providers.Dependency()
    password_hasher: providers.Dependency[PasswordHasher] = providers.Dependency()
    password_policy: providers.Dependency[PasswordPolicy] = providers.Dependency()
    catalogue: providers.Dependency[Catalogue] = providers.Dependency()

    item_service = providers.Singleton(ItemService, uow=units, clock=clock, ids=ids)
    # Each declared resource's service by name, read from the catalogue.
    resource_services = providers.Singleton(
        resource_services, catalogue, uow=units, clock=clock, ids=ids
    )
    auth_service = providers.Singleton(
        AuthService, tokens=token_service, revocations=revocations, ids=ids
    )
    user_service = providers.Singleton(
        UserService,
        uow=units,
        hasher=password_hasher,
        clock=clock,
        ids=ids,
        policy=password_policy,
    )
    login_service = providers.Singleton(
        LoginService,
        uow=units,
        hasher=password_hasher,
        tokens=token_service,
        revocations=revocations,
        clock=clock,
        ids=ids,
        refresh_ttl=providers.Factory(seconds, settings.provided.REFRESH_TOKEN_TTL),
    )
