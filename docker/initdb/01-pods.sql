-- Run once by the postgres image on an empty data volume (as POSTGRES_USER): one database per pod.
CREATE DATABASE pod_a;
CREATE DATABASE pod_b;
