"""The Azure Resource Manager rules the fake transports enforce, each with what it models.

Every rule is checked at one place in a fake (``fake_arm_volumes.py``,
``tests/contract/nodepool/agentpool_fake.py``) next to a comment repeating its
citation.  ``azure-rest-api-specs`` paths are relative to
https://github.com/Azure/azure-rest-api-specs; "docs:" cites Microsoft's
published documentation of the behaviour.

A fake enforces every rule unless told otherwise; :data:`PENDING` lists the
rules a driver fix has not caught up with yet (tests enable them explicitly,
marked ``xfail(strict=True)``), so the failing-before state of a fix is visible
in the history and ``main`` stays green.
"""

from __future__ import annotations

STORAGE_FILE = "specification/storage/resource-manager/Microsoft.Storage/stable/2023-05-01/file.json"
INCREMENTAL_DOCS = "docs: https://learn.microsoft.com/azure/virtual-machines/disks-incremental-snapshots"
RESOURCES = "specification/resources/resource-manager/Microsoft.Resources/stable/2024-03-01/resources.json"
AKS_SPEC = (
    "specification/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2024-09-01/"
    "managedClusters.json"
)
ERRORS_DOCS = "docs: https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors"
STORAGE_ACCOUNT = "specification/storage/resource-manager/Microsoft.Storage/stable/2023-05-01/storage.json"
COMPUTE_DISK = "specification/compute/resource-manager/Microsoft.Compute/DiskRP/stable/2024-03-02/disk.json"

ARM_RULES: dict[str, str] = {
    "files-list-no-metadata": (
        f"{STORAGE_FILE}: FileShares_List $expand documents only 'deleted, snapshots' and the FileSharesList "
        "example items carry no metadata (SDK users report it empty on list); FileShares_Get returns it"
    ),
    "disk-copy-not-smaller": (
        f"{COMPUTE_DISK}: DiskProperties.diskSizeGB - with a createOption other than Empty a size is a resize, "
        "and a resize 'can only increase the disk's size': a Copy/Restore never yields a disk smaller than its source"
    ),
    "snapshot-incremental-for-v2-ultra": (
        f"{INCREMENTAL_DOCS} (Premium SSD v2 and Ultra Disks support only incremental snapshots); "
        f"{COMPUTE_DISK}: SnapshotProperties.incremental"
    ),
    "snapshot-usable-after-copy": (
        f"{INCREMENTAL_DOCS} (incremental snapshots of Premium SSD v2 / Ultra Disks are copied in the background "
        "and cannot be used to create a disk until CompletionPercent is 100); "
        f"{COMPUTE_DISK}: SnapshotProperties.completionPercent"
    ),
    "disk-performance-only-v2-ultra": (
        f"{COMPUTE_DISK}: DiskProperties.diskIOPSReadWrite / diskMBpsReadWrite are 'only settable for UltraSSD "
        "disks' (and Premium SSD v2, docs: https://learn.microsoft.com/azure/virtual-machines/disks-types)"
    ),
    "deployment-outputs-only-when-succeeded": (
        f"{RESOURCES}: Deployments_GetAtSubscriptionScope, DeploymentPropertiesExtended.outputs/provisioningState; "
        "docs: https://learn.microsoft.com/azure/azure-resource-manager/templates/outputs (outputs are "
        "returned for a completed deployment; a running or failed re-deployment replaces the record without them)"
    ),
    "deployment-active": (
        "docs: https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors "
        "(DeploymentActive: a deployment of the same name is still running; 409 until it completes)"
    ),
    "disk-delete-attached": (
        f"{COMPUTE_DISK}: DiskProperties.managedBy ('the ID of the VM that has the disk attached') and diskState "
        "Attached; deleting an attached managed disk is refused with 409 OperationNotAllowed "
        "(docs: https://learn.microsoft.com/azure/virtual-machines/windows/find-unattached-disks)"
    ),
    "agentpool-delete-absent-204": (
        f"{AKS_SPEC}: AgentPools_Delete responses 202 and 204 (NoContent: the pool does not exist); "
        "azure-mgmt-containerservice accepts exactly [202, 204]"
    ),
    "share-being-deleted": (
        "docs: https://learn.microsoft.com/rest/api/storageservices/file-service-error-codes (ShareBeingDeleted, "
        "409: the specified share is being deleted; a share of the same name cannot be created meanwhile)"
    ),
    "rg-location-conflict": (
        f"{RESOURCES}: ResourceGroups_CreateOrUpdate; {ERRORS_DOCS} (InvalidResourceGroupLocation, 409: the "
        "resource group already exists in another location; a group's location cannot change)"
    ),
    "rg-put-replaces-tags": (
        f"{RESOURCES}: ResourceGroups_CreateOrUpdate is a PUT of the whole group: tags not sent are removed "
        "(ResourceGroups_Update/PATCH or Tags_CreateOrUpdateAtScope merge)"
    ),
    "not-found-codes": (
        "docs: https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-not-found "
        "(404 ResourceNotFound, ResourceGroupNotFound, ParentResourceNotFound; resource providers answer NotFound, "
        f"ShareNotFound, DeploymentNotFound) and {ERRORS_DOCS} (404 SubscriptionNotFound: the subscription, "
        "not the resource, is unknown)"
    ),
    # behaviour the fakes modelled before issue #19, now with its citation
    "creation-data-immutable": (
        f"{COMPUTE_DISK}: CreationData 'cannot be changed after the disk has been created' "
        "(409 PropertyChangeNotAllowed)"
    ),
    "copy-same-region": (
        f"{COMPUTE_DISK}: DiskCreateOption Copy vs CopyStart; docs: "
        "https://learn.microsoft.com/azure/virtual-machines/disks-copy-incremental-snapshot-across-regions"
    ),
    "empty-disk-needs-size": f"{COMPUTE_DISK}: DiskProperties.diskSizeGB is mandatory for createOption Empty",
    "delete-absent-204": (
        f"{COMPUTE_DISK}: Disks_Delete/Snapshots_Delete responses 200/202/204; "
        f"{STORAGE_FILE}: FileShares_Delete 200/204"
    ),
    "patch-replaces-tags": (
        f"{COMPUTE_DISK}: DiskUpdate.tags; docs: https://learn.microsoft.com/azure/azure-resource-manager/"
        "management/tag-resources (a PATCH of tags replaces the tag map)"
    ),
    "rg-not-found": (
        "docs: https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-not-found "
        "(404 ResourceGroupNotFound for anything inside an absent group)"
    ),
    "paged-lists": f"{COMPUTE_DISK} / {STORAGE_FILE}: x-ms-pageable, nextLinkName nextLink",
    "long-running-operations": (
        f"{COMPUTE_DISK} / {STORAGE_ACCOUNT}: x-ms-long-running-operation (Azure-AsyncOperation, Location polling)"
    ),
    "storage-account-name": f"{STORAGE_ACCOUNT}: accountName minLength 3, maxLength 24, pattern ^[a-z0-9]+$",
    "share-name": f"{STORAGE_FILE}: shareName 3-63 characters, lower-case letters, digits, single dashes",
    "share-metadata-names": (
        "docs: https://learn.microsoft.com/rest/api/storageservices/"
        "naming-and-referencing-shares--directories--files--and-metadata (metadata names are C# identifiers)"
    ),
    "share-quota": f"{STORAGE_FILE}: FileShareProperties.shareQuota minimum 1 (GiB)",
    "share-already-exists": (
        "docs: https://learn.microsoft.com/rest/api/storageservices/file-service-error-codes (409 ShareAlreadyExists)"
    ),
    "premium-shares-need-filestorage": (
        "docs: https://learn.microsoft.com/azure/storage/files/storage-how-to-create-file-share "
        "(premium file shares need a FileStorage account)"
    ),
    "role-assignment-exists": (
        "docs: https://learn.microsoft.com/azure/role-based-access-control/troubleshooting "
        "(409 RoleAssignmentExists for the same scope, role and principal)"
    ),
    "agentpool-not-found-codes": (
        f"{AKS_SPEC}: AgentPools_Get/List default error response; an absent pool is 404 NotFound, an absent "
        "managed cluster 404 ResourceNotFound (see not-found-codes)"
    ),
}

PENDING: set[str] = set()


def enforced_by_default() -> set[str]:
    return set(ARM_RULES) - PENDING
