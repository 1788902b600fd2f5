package dev.bookstore.migration;

import java.util.Map;

/** What CloudFormation is told: SUCCESS or FAILED, why, and the resource's stable physical id. */
record CustomResourceResponse(String status, String reason, String physicalResourceId, Map<String, String> data) {

    static final String SUCCESS = "SUCCESS";
    static final String FAILED = "FAILED";

    static CustomResourceResponse success(String physicalResourceId, String reason, Map<String, String> data) {
        return new CustomResourceResponse(SUCCESS, reason, physicalResourceId, data);
    }

    static CustomResourceResponse failed(String physicalResourceId, String reason) {
        return new CustomResourceResponse(FAILED, reason, physicalResourceId, Map.of());
    }
}
