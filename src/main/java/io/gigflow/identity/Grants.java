package io.gigflow.identity;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.springframework.stereotype.Service;

/**
 * Camunda authorizations that a lifecycle hands out as it runs: the parties of a process
 * instance may read it; nobody else sees it through /engine-rest or Cockpit. Nobody but
 * operators may update an instance: a party's message reaches it through the engine's input
 * guard, and the message's catch event checks the sender against the domain row.
 */
@Service
public class Grants {

    private final AuthorizationService authorizationService;

    public Grants(AuthorizationService authorizationService) {
        this.authorizationService = authorizationService;
    }

    /** Lets a group (a company's members) read one process instance. */
    public void groupMayReadInstance(String groupId, String processInstanceId) {
        grant(null, groupId, Resources.PROCESS_INSTANCE, processInstanceId, Permissions.READ);
    }

    /** Lets a user read one process instance. */
    public void userMayReadInstance(String userId, String processInstanceId) {
        grant(userId, null, Resources.PROCESS_INSTANCE, processInstanceId, Permissions.READ);
    }

    /** Lets a group see one task (in Tasklist and through the API) without working on it. */
    public void groupMayReadTask(String groupId, String taskId) {
        grant(null, groupId, Resources.TASK, taskId, Permissions.READ);
    }

    /** Takes back everything a user was granted on one process instance (a field worker who lost an assignment). */
    public void revokeUserOnInstance(String userId, String processInstanceId) {
        authorizationService.createAuthorizationQuery().userIdIn(userId).resourceType(Resources.PROCESS_INSTANCE)
                .resourceId(processInstanceId).list()
                .forEach(authorization -> authorizationService.deleteAuthorization(authorization.getId()));
    }

    void grant(String userId, String groupId, Resource resource, String resourceId, Permission... permissions) {
        Authorization authorization = authorizationService.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        authorization.setUserId(userId);
        authorization.setGroupId(groupId);
        authorization.setResource(resource);
        authorization.setResourceId(resourceId);
        for (Permission permission : permissions) {
            authorization.addPermission(permission);
        }
        authorizationService.saveAuthorization(authorization);
    }
}
