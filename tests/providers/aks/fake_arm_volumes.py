"""A stateful fake ARM for the AKS volume backends, beside the scripted :class:`FakeARM`.

It stores resource groups, role assignments, managed disks, snapshots,
storage accounts and file shares, and answers the real azure-mgmt clients the
way ARM does: long-running PUT/PATCH with ``Azure-AsyncOperation``, DELETE and
storage-account creation with ``Location`` polling, lists paged through
``nextLink``, 404 ``ResourceGroupNotFound`` inside an absent group,
``timeCreated`` / ``lastModifiedTime`` from a controllable clock, compute ids
with the resource group upper-cased (as Azure reports them), share metadata
only on a single-share GET (never in a list) and identifier-only metadata keys.

Scripted routes (``on``/``lro_put`` of the base class) still win over the
state, and ``inject`` queues one-shot replies (faults) in front of it.
Cluster deployment outputs come from ``deployments`` (name → outputs).
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from .arm_rules import ARM_RULES, enforced_by_default
from .fake_arm import BASE, FakeARM, Reply, Seen, error

START = datetime(2025, 1, 1, tzinfo=UTC)
_SEG = r"([^/]+)"
_RG = rf"/subscriptions/{_SEG}/resourcegroups/{_SEG}"
_COMPUTE = rf"{_RG}/providers/microsoft\.compute/(disks|snapshots)"
_ACCOUNT = rf"{_RG}/providers/microsoft\.storage/storageaccounts/{_SEG}"
_SHARES = rf"{_ACCOUNT}/fileservices/default/shares"
_METADATA_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PERFORMANCE_SKUS = ("PremiumV2_LRS", "UltraSSD_LRS")
_SHARE_NAME = re.compile(r"^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")


def azure_time(moment: datetime) -> str:
    """ARM's seven-digit fraction, e.g. ``2025-01-01T00:00:00.0000000+00:00``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0+00:00"


@dataclass
class _Injected:
    method: str
    pattern: re.Pattern[str]
    replies: list[Reply]


class FakeVolumeARM(FakeARM):
    def __init__(
        self,
        *,
        location: str = "japaneast",
        page_size: int = 2,
        upper_rg_ids: bool = True,
        running_polls: int = 1,
        deployments: dict[str, dict[str, str]] | None = None,
        enforce: set[str] | None = None,
    ) -> None:
        super().__init__()
        self.enforce = enforced_by_default() if enforce is None else set(enforce)
        unknown = self.enforce - set(ARM_RULES)
        assert not unknown, f"unknown ARM rules {unknown}"
        self.location = location
        self.page_size = page_size
        self.upper_rg_ids = upper_rg_ids
        self.running_polls = running_polls
        self.copy_step = 50.0
        self.subscriptions: set[str] = set()  # lower-cased known subscriptions; empty = any subscription exists
        self.share_delete_seconds = 30.0  # how long a deleted share name stays "being deleted"
        self._deleted_shares: dict[tuple[str, str, str, str], datetime] = {}
        self.deployments: dict[str, dict[str, str]] = dict(deployments or {})
        self.deployment_states: dict[str, str] = {}  # name → provisioningState (default Succeeded)
        self.now = START
        self.groups: dict[str, dict[str, Any]] = {}
        self.items: dict[tuple[str, str, str, str], dict[str, Any]] = {}  # (sub, rg, type, name) lower
        self.accounts: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.shares: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        self.role_assignments: list[dict[str, str]] = []
        self._ops: dict[str, list[Reply]] = {}
        self._injected: list[_Injected] = []
        self._ids = itertools.count(1)

    # controls
    def rule(self, name: str) -> bool:
        """Whether the ARM rule ``name`` (see ``arm_rules.py``) is enforced."""
        assert name in ARM_RULES, name
        return name in self.enforce

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def inject(self, method: str, path: str, *replies: Reply) -> FakeVolumeARM:
        """One-shot replies for matching requests, consumed before the stateful answer."""
        self._injected.append(_Injected(method.upper(), re.compile(path, re.IGNORECASE), list(replies)))
        return self

    def disk(self, name: str) -> dict[str, Any] | None:
        return next((v for k, v in self.items.items() if k[2] == "disks" and k[3] == name.lower()), None)

    def snapshot(self, name: str) -> dict[str, Any] | None:
        return next((v for k, v in self.items.items() if k[2] == "snapshots" and k[3] == name.lower()), None)

    def by_id(self, resource_id: str) -> dict[str, Any] | None:
        m = re.fullmatch(rf"{_COMPUTE}/{_SEG}", resource_id.rstrip("/"), re.IGNORECASE)
        return self.items.get(tuple(p.lower() for p in m.groups())) if m else None  # type: ignore[arg-type]

    def attach(self, disk_name: str, vm_id: str) -> None:
        """Mark the disk attached to ``vm_id`` (what the Azure Disk CSI driver does when a pod mounts it)."""
        item = self.disk(disk_name)
        assert item is not None, disk_name
        item["managedBy"] = vm_id
        item["properties"]["diskState"] = "Attached"

    def still_creating(self, disk_name: str) -> None:
        """Show the disk as ARM does while its create LRO runs (``provisioningState: Creating``), e.g. a
        ``disk create -S snapshot:…`` another machine started and that has not finished."""
        item = self.disk(disk_name)
        assert item is not None, disk_name
        item["properties"]["provisioningState"] = "Creating"

    def source_of(self, handle: str) -> str:
        item = self.by_id(handle)
        if item is None:
            raise KeyError(f"no disk or snapshot with id {handle}")
        return str(item["properties"]["creationData"].get("sourceResourceId", ""))

    # transport
    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(str(request.url))
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        body = json.loads(request.body) if request.body else None
        method = str(request.method)
        self.requests.append(Seen(method, str(request.url), parts.path, query, body, dict(request.headers)))
        for inj in self._injected:
            if inj.replies and inj.method == method and inj.pattern.fullmatch(parts.path):
                return self._response(request, inj.replies.pop(0))
        for route in self.routes:
            if route.method == method and route.pattern.fullmatch(parts.path):
                reply = route.replies[min(route.hits, len(route.replies) - 1)]
                route.hits += 1
                return self._response(request, reply)
        return self._response(request, self._handle(method, parts.path, query, body))

    def _handle(self, method: str, path: str, query: dict[str, str], body: Any) -> Reply:
        sub = re.match(r"/subscriptions/([^/]+)", path, re.IGNORECASE)
        unknown = sub is not None and bool(self.subscriptions) and sub.group(1).lower() not in self.subscriptions
        if sub is not None and unknown and self.rule("not-found-codes"):
            # ARM rule not-found-codes: an unknown subscription is 404 SubscriptionNotFound, which says
            # nothing about the resource (docs: troubleshooting/common-deployment-errors, error-not-found).
            return error(404, "SubscriptionNotFound", f"The subscription '{sub.group(1)}' could not be found.")
        table: list[tuple[str, Any]] = [
            (r"/fakevolops/(\d+)", self._op),
            (r"/subscriptions/([^/]+)/providers/microsoft\.resources/deployments/([^/]+)", self._deployment),
            (rf"(.+)/providers/microsoft\.authorization/roleassignments/{_SEG}", self._role),
            (rf"{_SHARES}/{_SEG}", self._share),
            (_SHARES, self._share_list),
            (_ACCOUNT, self._account),
            (rf"{_COMPUTE}/{_SEG}", self._item),
            (_COMPUTE, self._item_list),
            (_RG, self._group),
        ]
        for pattern, handler in table:
            m = re.fullmatch(pattern, path, re.IGNORECASE)
            if m:
                reply: Reply = handler(method, m.groups(), query, body)
                return reply
        return error(501, "FakeNoRoute", f"{method} {path}")

    # long-running operations
    def _lro(self, status: int, body: Any, *, location: bool = False, final: Any = None) -> Reply:
        # ARM rule long-running-operations: PUT/PATCH answer with Azure-AsyncOperation, DELETE and storage
        # account creation with Location (x-ms-long-running-operation in disk.json and storage.json).
        op = str(next(self._ids))
        url = f"{BASE}/fakevolops/{op}"
        running = [Reply(202 if location else 200, None if location else {"status": "InProgress"})]
        done = Reply(200, final) if location else Reply(200, {"status": "Succeeded"})
        self._ops[op] = [*(running * self.running_polls), done]
        header = "Location" if location else "Azure-AsyncOperation"
        return Reply(status, body, {header: url, "Retry-After": "0"})

    def _op(self, method: str, groups: tuple[str, ...], query: dict[str, str], body: Any) -> Reply:
        queue = self._ops.get(groups[0])
        if not queue:
            return error(404, "NotFound", "no such operation")
        return queue.pop(0) if len(queue) > 1 else queue[0]

    # groups, roles, deployments
    def _group(self, method: str, groups: tuple[str, ...], query: dict[str, str], body: Any) -> Reply:
        sub, rg = groups
        key = rg.lower()
        if method == "PUT":
            created = key not in self.groups
            existing = self.groups.get(key)
            if existing is not None and existing["location"] != body["location"] and self.rule("rg-location-conflict"):
                # ARM rule rg-location-conflict: a group's location never changes; PUT with another one is 409
                # InvalidResourceGroupLocation (resources.json ResourceGroups_CreateOrUpdate; common errors).
                return error(
                    409,
                    "InvalidResourceGroupLocation",
                    f"Invalid resource group location '{body['location']}'. The Resource group already exists in "
                    f"location '{existing['location']}'.",
                )
            # ARM rule rg-put-replaces-tags: the PUT body is the whole group, so tags not sent are removed
            # (resources.json ResourceGroups_CreateOrUpdate vs ResourceGroups_Update).
            self.groups[key] = {
                "id": f"/subscriptions/{sub}/resourceGroups/{rg}",
                "name": rg,
                "location": body["location"],
                "tags": dict(body.get("tags") or {}),
                "properties": {"provisioningState": "Succeeded"},
            }
            return Reply(201 if created else 200, self.groups[key])
        if key not in self.groups:
            return _group_missing(rg)
        if method in ("GET", "HEAD"):
            return Reply(200 if method == "GET" else 204, self.groups[key] if method == "GET" else None)
        return error(405, "MethodNotAllowed", method)

    def _role(self, method: str, groups: tuple[str, ...], query: dict[str, str], body: Any) -> Reply:
        scope, name = groups
        m = re.fullmatch(_RG, scope, re.IGNORECASE)
        if m and m.group(2).lower() not in self.groups:
            return _group_missing(m.group(2))
        props = body["properties"]
        wanted = (scope.lower(), props["roleDefinitionId"].lower(), props["principalId"])
        for ra in self.role_assignments:
            same = (ra["scope"].lower(), ra["roleDefinitionId"].lower(), ra["principalId"]) == wanted
            if same and self.rule("role-assignment-exists"):
                # ARM rule role-assignment-exists: one assignment per scope, role and principal; another is 409
                # RoleAssignmentExists (docs: https://learn.microsoft.com/azure/role-based-access-control/troubleshooting).
                return error(409, "RoleAssignmentExists", "The role assignment already exists.")
        self.role_assignments.append({"scope": scope, "name": name, **props})
        return Reply(
            201, {"id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", "properties": props}
        )

    def _deployment(self, method: str, groups: tuple[str, ...], query: dict[str, str], body: Any) -> Reply:
        name = groups[1]
        outputs = self.deployments.get(name)
        state = self.deployment_states.get(name, "Succeeded")
        if method == "PUT":
            if state in ("Accepted", "Running") and self.rule("deployment-active"):
                # ARM rule deployment-active: a second deployment of the same name while one runs is 409
                # DeploymentActive (docs: azure-resource-manager/troubleshooting/common-deployment-errors).
                return error(
                    409,
                    "DeploymentActive",
                    f"Unable to edit or replace deployment '{name}': previous deployment from "
                    f"'{azure_time(self.now)}' is still active.",
                )
            self.deployments.setdefault(name, {})
            self.deployment_states[name] = "Succeeded"
            return self._lro(201, {"name": name, "properties": {"provisioningState": "Accepted"}})
        if method != "GET" or outputs is None:
            return error(404, "DeploymentNotFound", f"Deployment '{name}' could not be found.")
        props: dict[str, Any] = {"provisioningState": state}
        if state == "Succeeded" or not self.rule("deployment-outputs-only-when-succeeded"):
            # ARM rule deployment-outputs-only-when-succeeded: outputs exist only for a completed deployment; a
            # running or failed re-deployment replaced the record without them (resources.json
            # DeploymentPropertiesExtended; docs: azure-resource-manager/templates/outputs).
            props["outputs"] = {k: {"type": "String", "value": v} for k, v in outputs.items()}
        return Reply(200, {"name": name, "properties": props})

    # disks and snapshots
    def _compute_id(self, sub: str, rg: str, rtype: str, name: str) -> str:
        group = self.groups[rg.lower()]["name"]
        shown = group.upper() if self.upper_rg_ids else group
        kind = "disks" if rtype.lower() == "disks" else "snapshots"
        return f"/subscriptions/{sub}/resourceGroups/{shown}/providers/Microsoft.Compute/{kind}/{name}"

    def _page(self, path: str, query: dict[str, str], values: list[Any]) -> Reply:
        # ARM rule paged-lists: lists are x-ms-pageable with nextLinkName "nextLink" (disk.json
        # Disks_ListByResourceGroup, file.json FileShares_List); the next link carries the original query.
        start = int(query.get("$skiptoken", "0"))
        page: dict[str, Any] = {"value": values[start : start + self.page_size]}
        if start + self.page_size < len(values):
            # like ARM, the next link carries the original query ($expand etc.) plus the skip token
            carried = {k: v for k, v in query.items() if k != "$skiptoken"}
            carried["$skiptoken"] = str(start + self.page_size)
            page["nextLink"] = f"{BASE}{path}?{urlencode(carried)}"
        return Reply(200, page)

    def _item_list(self, method: str, groups: tuple[str, ...], query: dict[str, str], body: Any) -> Reply:
        sub, rg, rtype = (g.lower() for g in groups)
        if rg not in self.groups:
            return _group_missing(groups[1])
        values = [v for k, v in sorted(self.items.items()) if k[:3] == (sub, rg, rtype)]
        path = f"/subscriptions/{groups[0]}/resourceGroups/{groups[1]}/providers/Microsoft.Compute/{groups[2]}"
        return self._page(path, query, values)

    def _item(self, method: str, groups: tuple[str, ...], query: dict[str, str], body: Any) -> Reply:
        sub, rg, rtype, name = groups
        key = (sub.lower(), rg.lower(), rtype.lower(), name.lower())
        if rg.lower() not in self.groups:
            return _group_missing(rg)
        item = self.items.get(key)
        if method == "GET":
            if item is not None:
                self._copy_progress(item)
            return Reply(200, item) if item else _not_found(rtype, name)
        if method == "DELETE":
            if item is None:
                # ARM rule delete-absent-204: Disks_Delete/Snapshots_Delete answer 204 for an absent resource
                # (disk.json responses 200/202/204; FileShares_Delete in file.json: 200/204).
                return Reply(204)
            holder = item.get("managedBy")
            if holder and self.rule("disk-delete-attached"):
                # ARM rule disk-delete-attached: a disk with managedBy (diskState Attached) cannot be deleted,
                # 409 OperationNotAllowed (DiskRP/stable/2024-03-02/disk.json DiskProperties.managedBy).
                return error(409, "OperationNotAllowed", f"Disk {item['name']} is attached to VM {holder}.")
            del self.items[key]
            return self._lro(202, None, location=True)
        if method == "PATCH":
            if item is None:
                return _not_found(rtype, name)
            if "tags" in body:
                # ARM rule patch-replaces-tags: a resource PATCH with ``tags`` replaces the whole tag map (docs:
                # azure-resource-manager/management/tag-resources; disk.json DiskUpdate.tags).
                item["tags"] = dict(body["tags"] or {})
            return self._lro(202, item)
        if method == "PUT":
            return self._put_item(key, sub, rg, rtype, name, body)
        return error(405, "MethodNotAllowed", method)

    def _put_item(self, key: Any, sub: str, rg: str, rtype: str, name: str, body: Any) -> Reply:
        props = dict(body.get("properties") or {})
        creation = props.get("creationData") or {}
        existing = self.items.get(key)
        if existing is not None:
            if existing["properties"]["creationData"] != creation and self.rule("creation-data-immutable"):
                # ARM rule creation-data-immutable: "CreationData information cannot be changed after the disk
                # has been created" (DiskRP/stable/2024-03-02/disk.json, CreationData).
                return error(409, "PropertyChangeNotAllowed", "Changing property 'creationData' is not allowed.")
            existing["tags"] = dict(body.get("tags") or {})
            return self._lro(200, existing)
        if body.get("location") != self.location:
            return error(400, "LocationNotAvailableForResourceType", f"location {body.get('location')}")
        size = props.get("diskSizeGB")
        is_disk = rtype.lower() == "disks"
        sku = str((body.get("sku") or {}).get("name") or "")
        performance = [k for k in ("diskIOPSReadWrite", "diskMBpsReadWrite") if k in props]
        if is_disk and performance and sku not in PERFORMANCE_SKUS and self.rule("disk-performance-only-v2-ultra"):
            # ARM rule disk-performance-only-v2-ultra: diskIOPSReadWrite/diskMBpsReadWrite are "only settable
            # for UltraSSD disks" (DiskRP/stable/2024-03-02/disk.json) and Premium SSD v2 (disks-types docs).
            return error(400, "InvalidParameter", f"{', '.join(performance)} cannot be set on a {sku} disk.")
        copying: float | None = None
        if creation.get("createOption") == "Copy":
            source = self.by_id(creation.get("sourceResourceId", ""))
            if source is None:
                return error(404, "NotFound", f"Resource {creation.get('sourceResourceId')} is not found.")
            if source["location"] != body["location"] and self.rule("copy-same-region"):
                # ARM rule copy-same-region: createOption Copy reads a source of the same region; other regions
                # need CopyStart (disk.json DiskCreateOption; docs: disks-copy-incremental-snapshot-across-regions).
                return error(400, "BadRequest", "The source resource is in a different region.")
            source_sku = str((source.get("sku") or {}).get("name") or "")
            source_is_disk = source["type"].lower().endswith("/disks")
            if not is_disk and source_is_disk and source_sku in PERFORMANCE_SKUS:
                if props.get("incremental") is not True and self.rule("snapshot-incremental-for-v2-ultra"):
                    # ARM rule snapshot-incremental-for-v2-ultra: Premium SSD v2 and Ultra Disks support only
                    # incremental snapshots (docs: disks-incremental-snapshots; disk.json SnapshotProperties).
                    return error(
                        400, "BadRequest", f"Only incremental snapshots are supported for disks of SKU {source_sku}."
                    )
                copying = 0.0
            percent = source["properties"].get("completionPercent")
            if is_disk and percent is not None and percent < 100 and self.rule("snapshot-usable-after-copy"):
                # ARM rule snapshot-usable-after-copy: an incremental snapshot of a Premium SSD v2 / Ultra disk
                # is copied in the background and cannot be a disk's source before completionPercent is 100
                # (docs: disks-incremental-snapshots; disk.json SnapshotProperties.completionPercent).
                return error(
                    409,
                    "OperationNotAllowed",
                    f"Snapshot {source['name']} is not ready: its background copy is {percent:g}% complete.",
                )
            source_size = int(source["properties"]["diskSizeGB"])
            if size and int(size) < source_size and self.rule("disk-copy-not-smaller"):
                # ARM rule disk-copy-not-smaller: diskSizeGB on a Copy is a resize, and resizes "can only
                # increase the disk's size" (DiskRP/stable/2024-03-02/disk.json, DiskProperties.diskSizeGB).
                return error(
                    400,
                    "BadRequest",
                    f"The specified disk size {size} GB is smaller than the size of the source {source_size} GB.",
                )
            size = max(int(size or 0), source_size)
        elif creation.get("createOption") != "Empty" or not size:
            # ARM rule empty-disk-needs-size: "If creationData.createOption is Empty, this field is mandatory"
            # (disk.json DiskProperties.diskSizeGB).  (Other create options are not used by the driver.)
            return error(400, "InvalidParameter", "diskSizeGB is required for an empty disk")
        item = {
            "id": self._compute_id(sub, rg, rtype, name),
            "name": name,
            "type": f"Microsoft.Compute/{'disks' if rtype.lower() == 'disks' else 'snapshots'}",
            "location": body["location"],
            "tags": dict(body.get("tags") or {}),
            "properties": {
                **props,
                "creationData": creation,
                "diskSizeGB": size,
                "timeCreated": azure_time(self.now),
                "provisioningState": "Succeeded",
                "uniqueId": f"uid-{next(self._ids)}",
            },
        }
        for extra in ("sku", "zones"):
            if extra in body:
                item[extra] = body[extra]
        if copying is not None:
            item["properties"]["completionPercent"] = copying
        self.items[key] = item
        return self._lro(202, item)

    def _copy_progress(self, item: dict[str, Any]) -> None:
        """A background copy advances by :attr:`copy_step` percent on every GET of the snapshot."""
        percent = item["properties"].get("completionPercent")
        if percent is not None and percent < 100:
            item["properties"]["completionPercent"] = min(100.0, percent + self.copy_step)

    # storage accounts and shares
    def _account(self, method: str, groups: tuple[str, ...], query: dict[str, str], body: Any) -> Reply:
        sub, rg, account = groups
        key = (sub.lower(), rg.lower(), account.lower())
        if rg.lower() not in self.groups:
            return _group_missing(rg)
        if method == "GET":
            found = self.accounts.get(key)
            return Reply(200, found) if found else _not_found("storageAccounts", account)
        if method == "PUT":
            # ARM rule storage-account-name: 3-24 characters, digits and lower-case letters only (storage.json,
            # StorageAccounts_Create accountName: minLength 3, maxLength 24, pattern ^[a-z0-9]+$).
            if not re.fullmatch(r"[a-z0-9]{3,24}", account) and self.rule("storage-account-name"):
                return error(400, "AccountNameInvalid", f"{account} is not a valid storage account name")
            self.accounts[key] = {
                "id": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{account}",
                "name": account,
                "location": body["location"],
                "kind": body["kind"],
                "sku": body["sku"],
                "tags": dict(body.get("tags") or {}),
                "properties": {**body.get("properties", {}), "provisioningState": "Succeeded"},
            }
            return self._lro(202, None, location=True, final=self.accounts[key])
        return error(405, "MethodNotAllowed", method)

    def _share_view(self, share: dict[str, Any], *, listed: bool) -> dict[str, Any]:
        view = {**share, "properties": dict(share["properties"])}
        if listed and self.rule("files-list-no-metadata"):
            # ARM rule files-list-no-metadata: FileShares_List never carries share metadata, whatever
            # ``$expand`` says.  Spec: azure-rest-api-specs specification/storage/resource-manager/
            # Microsoft.Storage/stable/2023-05-01/file.json, FileShares_List ``$expand`` documents only
            # ``deleted, snapshots`` and its FileSharesList example items carry no ``metadata``; SDK users
            # report the metadata empty on list (issue #19 point 1).  FileShares_Get returns it.
            view["properties"].pop("metadata", None)
        return view

    def _share_list(self, method: str, groups: tuple[str, ...], query: dict[str, str], body: Any) -> Reply:
        sub, rg, account = (g.lower() for g in groups)
        if rg not in self.groups:
            return _group_missing(groups[1])
        if (sub, rg, account) not in self.accounts:
            return _not_found("storageAccounts", groups[2])
        values = [
            self._share_view(v, listed=True) for k, v in sorted(self.shares.items()) if k[:3] == (sub, rg, account)
        ]
        base = f"/subscriptions/{groups[0]}/resourceGroups/{groups[1]}/providers/Microsoft.Storage/storageAccounts"
        return self._page(f"{base}/{groups[2]}/fileServices/default/shares", query, values)

    def _share(self, method: str, groups: tuple[str, ...], query: dict[str, str], body: Any) -> Reply:
        sub, rg, account, name = groups
        akey = (sub.lower(), rg.lower(), account.lower())
        if rg.lower() not in self.groups:
            return _group_missing(rg)
        if akey not in self.accounts:
            return _not_found("storageAccounts", account)
        key = (*akey, name)
        share = self.shares.get(key)
        if method == "GET":
            return Reply(200, self._share_view(share, listed=False)) if share else error(404, "ShareNotFound", name)
        if method == "DELETE":
            if share is None:
                return Reply(204)
            del self.shares[key]
            self._deleted_shares[key] = self.now
            return Reply(200)
        props = dict((body or {}).get("properties") or {})
        bad = [k for k in props.get("metadata") or {} if not _METADATA_KEY.match(k)]
        if bad and self.rule("share-metadata-names"):
            # ARM rule share-metadata-names: metadata names follow the C# identifier rules (docs: storageservices/
            # naming-and-referencing-shares--directories--files--and-metadata).
            return error(400, "InvalidMetadata", f"metadata names must be C# identifiers: {bad}")
        if method == "PATCH":
            if share is None:
                return error(404, "ShareNotFound", name)
            share["properties"].update(props)
            share["properties"]["lastModifiedTime"] = azure_time(self.now)
            return Reply(200, share)
        if method == "PUT":
            return self._put_share(key, akey, name, props)
        return error(405, "MethodNotAllowed", method)

    def _put_share(self, key: Any, akey: Any, name: str, props: dict[str, Any]) -> Reply:
        if key in self.shares:
            # ARM rule share-already-exists: 409 ShareAlreadyExists (docs: storageservices/file-service-error-codes).
            return error(409, "ShareAlreadyExists", "The specified share already exists.")
        deleted = self._deleted_shares.get(key)
        recent = deleted is not None and self.now - deleted < timedelta(seconds=self.share_delete_seconds)
        if recent and self.rule("share-being-deleted"):
            # ARM rule share-being-deleted: the name of a just-deleted share is 409 ShareBeingDeleted until
            # the service finished deleting it (docs: storageservices/file-service-error-codes).
            return error(409, "ShareBeingDeleted", "The specified share is being deleted. Try operation later.")
        if not _SHARE_NAME.match(name) and self.rule("share-name"):
            # ARM rule share-name: 3-63 characters, digits, lower-case letters and dashes, each dash between a
            # letter or digit (file.json FileShares_Create shareName).
            return error(400, "InvalidResourceName", f"share name {name} is invalid")
        account = self.accounts[akey]
        premium = account["sku"]["name"].startswith("Premium_")
        if premium and account["kind"] != "FileStorage" and self.rule("premium-shares-need-filestorage"):
            # ARM rule premium-shares-need-filestorage: premium file shares live only in FileStorage accounts
            # (docs: https://learn.microsoft.com/azure/storage/files/storage-how-to-create-file-share).
            return error(400, "FeatureNotSupportedForAccount", "File shares need a FileStorage premium account")
        if int(props.get("shareQuota") or 0) < 1 and self.rule("share-quota"):
            # ARM rule share-quota: shareQuota is 1..102400 GiB (file.json FileShareProperties.shareQuota minimum 1).
            return error(400, "InvalidHeaderValue", "shareQuota must be at least 1")
        self.shares[key] = {
            "id": f"{account['id']}/fileServices/default/shares/{name}",
            "name": name,
            "type": "Microsoft.Storage/storageAccounts/fileServices/shares",
            "etag": f'"0x{next(self._ids):X}"',
            "properties": {**props, "lastModifiedTime": azure_time(self.now), "enabledProtocols": "SMB"},
        }
        return Reply(201, self.shares[key])


def _group_missing(rg: str) -> Reply:
    # ARM rule rg-not-found: anything inside an absent group is 404 ResourceGroupNotFound (docs:
    # azure-resource-manager/troubleshooting/error-not-found).
    return error(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")


def _not_found(rtype: str, name: str) -> Reply:
    return error(404, "ResourceNotFound", f"The Resource '{rtype}/{name}' was not found.")
