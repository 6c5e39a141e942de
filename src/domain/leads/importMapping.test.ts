import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.js";
import { csvHeader, csvLine, sniffDelimiter } from "./importCsv.js";
import {
  describePlan,
  headerKey,
  parseMapOption,
  planColumns,
  rowToLeadBody,
  splitName,
} from "./importMapping.js";

describe("planColumns: automatic mapping of common headers", () => {
  it.each([
    [["First Name", "Last Name", "Phone Number", "E-mail", "Timezone", "External ID"]],
    [["first_name", "last_name", "phone", "email", "time_zone", "external_id"]],
    [["FIRSTNAME", "Surname", "Mobile", "Email Address", "TZ", "ID"]],
    [["Given Name", "Family Name", "Cell Phone", "Mail", "Time Zone", "Lead ID"]],
    [["first", "last", "Tel", "e-mail", "timezone", "CRM ID"]],
  ])("maps %j to the lead fields", (header) => {
    expect(Object.values(describePlan(planColumns(header)))).toEqual([
      "firstName",
      "lastName",
      "phone",
      "email",
      "timeZone",
      "externalLeadId",
    ]);
  });

  it("puts every other column into additionalInfo under its header", () => {
    const plan = planColumns(["Name", "Phone", "Company", "Lead Source", ""]);
    expect(describePlan(plan)).toEqual({
      Name: "name",
      Phone: "phone",
      Company: "additionalInfo.Company",
      "Lead Source": "additionalInfo.Lead Source",
      "column 5": "additionalInfo.column 5",
    });
  });

  it("takes the best phone column and keeps the other one as information", () => {
    const plan = planColumns(["Mobile", "First Name", "Last Name", "Phone"]);
    expect(describePlan(plan)).toMatchObject({ Phone: "phone", Mobile: "additionalInfo.Mobile" });
  });

  it("names repeated headers apart", () => {
    expect(planColumns(["Name", "Phone", "Note", "Note"]).columns).toEqual([
      "Name",
      "Phone",
      "Note",
      "Note (2)",
    ]);
  });

  it("lets --map override the guess, rename an information key or skip a column", () => {
    const plan = planColumns(
      ["Name", "Phone", "Cell", "Internal", "Source"],
      ["Cell=phone", "internal=skip", "Source=additionalInfo.origin"],
    );
    expect(describePlan(plan)).toEqual({
      Name: "name",
      Phone: "additionalInfo.Phone",
      Cell: "phone",
      Internal: "skip",
      Source: "additionalInfo.origin",
    });
  });

  it("accepts field names in any case and spelling in --map", () => {
    expect(describePlan(planColumns(["A", "B"], ["A=Phone", "B=first_name"]))).toEqual({
      A: "phone",
      B: "firstName",
    });
  });

  it.each([
    [["Name", "Email"], [], /no phone column/],
    [["Phone", "Email"], [], /no name column/],
    [["Name", "Phone"], ["Mobile=phone"], /no column named "Mobile"/],
    [["Name", "Phone"], ["Phone=telephone"], /not a lead field/],
    [["Name", "Phone", "Cell"], ["Phone=phone", "Cell=phone"], /two columns are mapped to phone/],
    [["Name", "Phone"], ["Phone"], /not column=field/],
  ])("refuses %j with %j", (header, map, message) => {
    expect(() => planColumns(header, map)).toThrow(message);
    expect(() => planColumns(header, map)).toThrow(DomainError);
  });

  it("splits a --map option at its last =", () => {
    expect(parseMapOption("a=b=phone")).toEqual(["a=b", "phone"]);
    expect(headerKey("Téléphone #")).toBe("telephone");
  });
});

describe("splitName", () => {
  it.each([
    ["John Smith", "John", "Smith"],
    ["  John   Smith ", "John", "Smith"],
    ["Mary Ann Smith", "Mary Ann", "Smith"],
    ["Smith, John", "John", "Smith"],
    ["Smith, Mary Ann", "Mary Ann", "Smith"],
    ["Dr. John Smith", "John", "Smith"],
    ["John Smith Jr.", "John", "Smith Jr."],
    ["John Smith, Jr.", "John", "Smith Jr."],
    ["Ludwig van Beethoven", "Ludwig", "van Beethoven"],
    ["Maria de la Cruz", "Maria", "de la Cruz"],
    ["Cher", "Cher", ""],
    ["Mr Smith", "Mr", "Smith"],
    ["", "", ""],
  ])("%j → %j / %j", (full, firstName, lastName) => {
    expect(splitName(full)).toEqual({ firstName, lastName });
  });
});

describe("rowToLeadBody", () => {
  const plan = planColumns(["Name", "Phone", "Email", "Timezone", "ID", "Company", "Notes"]);

  it("builds the create-lead body, leaving empty optional cells out", () => {
    expect(
      rowToLeadBody(plan, ["Ada Lovelace", "+1 202 555 0101", "", "", "crm-1", "Engines", ""], {
        customerProfile: "Main",
      }),
    ).toEqual({
      body: {
        firstName: "Ada",
        lastName: "Lovelace",
        phone: "+1 202 555 0101",
        customerProfile: "Main",
        externalLeadId: "crm-1",
        additionalInfo: { Company: "Engines" },
      },
    });
  });

  it("prefers first and last name columns over a name column", () => {
    const both = planColumns(["First Name", "Last Name", "Name", "Phone"]);
    const body = (cells: string[]) => rowToLeadBody(both, cells, { customerProfile: "P" });
    expect(body(["Ada", "", "Ada King", "+1"])).toMatchObject({
      body: { firstName: "Ada", lastName: "King" },
    });
    expect(body(["Ada", "Byron", "Ada King", "+1"])).toMatchObject({
      body: { firstName: "Ada", lastName: "Byron" },
    });
  });

  it("reads a phone without + as a number of the default country when asked", () => {
    const phone = (cell: string, defaultCountry?: "US" | "GB") => {
      const mapped = rowToLeadBody(plan, ["A B", cell], { customerProfile: "P", defaultCountry });
      return "body" in mapped ? mapped.body.phone : undefined;
    };
    expect(phone("(202) 555-0101", "US")).toBe("+12025550101");
    expect(phone("020 7946 0018", "GB")).toBe("+442079460018");
    expect(phone("(202) 555-0101")).toBe("(202) 555-0101");
    expect(phone("+33 1 23 45 67 89", "US")).toBe("+33 1 23 45 67 89");
  });

  it("refuses a row longer than the header and a NUL in a cell", () => {
    expect(rowToLeadBody(plan, ["a", "b", "c", "d", "e", "f", "g", "h"], { customerProfile: "P" })).toEqual({
      problem: "the row has 8 cells but the header has 7",
    });
    expect(rowToLeadBody(plan, ["A B", "+1", "", "", "", "x\u0000y"], { customerProfile: "P" })).toEqual({
      problem: "Company: must not contain the NUL character (\\u0000)",
    });
  });
});

describe("CSV helpers", () => {
  it("tells the delimiter from the first line, ignoring quoted text", () => {
    expect(sniffDelimiter("a,b,c\n1;2;3")).toBe(",");
    expect(sniffDelimiter("Name;Phone;Note\n")).toBe(";");
    expect(sniffDelimiter('"a;b;c"\tx\ty')).toBe("\t");
    expect(sniffDelimiter("one")).toBe(",");
  });

  it("reads the header, without a byte order mark", () => {
    expect(csvHeader('\uFEFFName,"Phone, mobile"\r\nAda,+1')).toEqual(["Name", "Phone, mobile"]);
    expect(csvHeader("")).toBeUndefined();
  });

  it("quotes report cells that need it", () => {
    expect(csvLine([12, "rejected", 'say "hi", then\nbye', " x"])).toBe(
      '12,rejected,"say ""hi"", then\nbye"," x"\r\n',
    );
  });
});
