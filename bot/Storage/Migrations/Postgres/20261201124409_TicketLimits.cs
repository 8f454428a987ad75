using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExportCenter.Bot.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TicketLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClientKey",
                table: "Tickets",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_ClientKey_CreatedAt",
                table: "Tickets",
                columns: new[] { "ClientKey", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Email_CreatedAt",
                table: "Tickets",
                columns: new[] { "Email", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_ClientKey_CreatedAt",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_Email_CreatedAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ClientKey",
                table: "Tickets");
        }
    }
}
