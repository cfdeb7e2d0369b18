// @ts-nocheck
/* eslint-disable */
// GENERATED from schemas/dmbs-compute-tape.v1.schema.json (properties.lotId) by `npm run gen:validators` (ajv standalone code, options {"allErrors":false,"fastDates":true}).
// Do not edit: change the schema or functions/core/schema/validator-definitions.ts and regenerate.
import type { ValidateFunction } from '../../schema/ajv.ts';
const schema31 = {"description":"Equipment-lot identifier, unique within the tape: identical units under one customer contract at one site.","type":"string","minLength":1,"maxLength":64,"pattern":"^[A-Za-z0-9._-]+$","x-kind":"string","x-group":"lot","x-nd-allowed":false,"x-criticality":5,"x-aliases":["Lot ID","Lot Number","Lot No","Equipment Lot ID","Asset Lot ID","Batch ID","Tranche ID"],"x-format-hint":"use 1-64 letters, digits, '.', '_' or '-'"};const func1 = (function ucs2length(str) {
    const len = str.length;
    let length = 0;
    let pos = 0;
    let value;
    while (pos < len) {
        length++;
        value = str.charCodeAt(pos++);
        if (value >= 0xd800 && value <= 0xdbff && pos < len) {
            // high surrogate, and there is a next character
            value = str.charCodeAt(pos);
            if ((value & 0xfc00) === 0xdc00)
                pos++; // low surrogate
        }
    }
    return length;
});const pattern4 = new RegExp("^[A-Za-z0-9._-]+$", "u");function validate20(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){let vErrors = null;let errors = 0;const evaluated0 = validate20.evaluated;if(evaluated0.dynamicProps){evaluated0.props = undefined;}if(evaluated0.dynamicItems){evaluated0.items = undefined;}if(errors === 0){if(typeof data === "string"){if(func1(data) > 64){validate20.errors = [{instancePath,schemaPath:"#/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters"}];return false;}else {if(func1(data) < 1){validate20.errors = [{instancePath,schemaPath:"#/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"}];return false;}else {if(!pattern4.test(data)){validate20.errors = [{instancePath,schemaPath:"#/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9._-]+$"},message:"must match pattern \""+"^[A-Za-z0-9._-]+$"+"\""}];return false;}}}}else {validate20.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "string"},message:"must be string"}];return false;}}validate20.errors = vErrors;return errors === 0;}validate20.evaluated = {"dynamicProps":false,"dynamicItems":false};
const validator: ValidateFunction = validate20;
export default validator;
