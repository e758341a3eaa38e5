/**
 * One identity for Tasklist, /engine-rest and the domain API: Camunda users and groups (companies are
 * groups of type COMPANY, contractors are members of the group contractors), HTTP Basic on both APIs,
 * and the authorizations every installation and every running lifecycle needs. Features ask
 * {@link io.gigflow.identity.Parties} who somebody is and {@link io.gigflow.identity.CurrentUser} who acts.
 */
@ApplicationModule(allowedDependencies = {"shared"})
package io.gigflow.identity;

import org.springframework.modulith.ApplicationModule;
