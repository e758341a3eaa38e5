package io.gigflow.shared;

import io.swagger.v3.core.jackson.TypeNameResolver;

/**
 * Names of the domain API's schemas: the module, then the type's simple name and those of the
 * types it is nested in ({@code order.OrderView}, {@code checklist.ChecklistOrderService.PlaceOrder}).
 * Simple names alone are not unique: the service-order and checklist modules each have an
 * {@code OrderView} and a {@code PlaceOrder}, and a description keyed by simple name gives one
 * module's shape to the other's operations. Types outside io.gigflow keep their usual names.
 */
final class ApiSchemaNames extends TypeNameResolver {

    private static final String ROOT = "io.gigflow.";

    @Override
    protected String getNameOfClass(Class<?> type) {
        String name = type.getName();
        if (!name.startsWith(ROOT)) {
            return super.getNameOfClass(type);
        }
        return name.substring(ROOT.length()).replace('$', '.');
    }
}
